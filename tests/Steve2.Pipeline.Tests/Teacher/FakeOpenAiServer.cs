using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Steve2.Pipeline.Tests.Teacher;

/// <summary>
/// A real OpenAI-compatible chat endpoint on 127.0.0.1 (Kestrel, a free port): <c>POST /v1/chat/completions</c>
/// answers every request with the script's reply (a status, an answer text, a delay, headers) and keeps the
/// request as it came over the wire (model, sampling fields, the system text, the user text parts, the image
/// parts' URLs, the Authorization header).
/// </summary>
internal sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<Request> _requests = [];

    /// <summary>One request. <paramref name="Index"/> counts the requests for the same model from 1.</summary>
    public sealed record Request(int Index, string Model, JsonElement Body, string System, string UserText, IReadOnlyList<string> ImageUrls, IReadOnlyList<string> UserParts, string? Authorization);

    /// <summary>A scripted reply: the answer text with status 200, or an error status; after a delay; with extra headers.</summary>
    public sealed record Reply(string? Answer = null, int Status = 200, TimeSpan Delay = default, IReadOnlyDictionary<string, string>? Headers = null)
    {
        public static Reply Text(string answer) => new(answer);
        public static Reply Error(int status, IReadOnlyDictionary<string, string>? headers = null) => new(null, status, default, headers);
        public static Reply Hang(TimeSpan delay) => new("too late", 200, delay);
    }

    private FakeOpenAiServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<Request> Requests { get { lock (_requests) return _requests.ToArray(); } }

    public IReadOnlyList<Request> For(string model) => Requests.Where(r => r.Model == model).ToArray();

    public static async Task<FakeOpenAiServer> StartAsync(Func<Request, Reply> script)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // HTTP/1.1 as OpenAI clients speak it (the test folder holds the expert host's appsettings.json, whose endpoints are HTTP/2 only).
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1AndHttp2));
        WebApplication app = builder.Build();
        var server = new FakeOpenAiServer(app);
        app.MapPost("/v1/chat/completions", server.HandleAsync(script));
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/v1");
        return server;
    }

    private RequestDelegate HandleAsync(Func<Request, Reply> script) => context => HandleAsync(script, context);

    private async Task HandleAsync(Func<Request, Reply> script, HttpContext context)
    {
        using JsonDocument body = await JsonDocument.ParseAsync(context.Request.Body);
        JsonElement root = body.RootElement.Clone();
        string model = root.GetProperty("model").GetString()!;
        string system = "";
        var parts = new List<string>();
        var images = new List<string>();
        foreach (JsonElement message in root.GetProperty("messages").EnumerateArray())
        {
            string role = message.GetProperty("role").GetString()!;
            JsonElement content = message.GetProperty("content");
            if (role == "system") system += content.ValueKind == JsonValueKind.String ? content.GetString() : string.Concat(content.EnumerateArray().Select(p => p.GetProperty("text").GetString()));
            else if (role == "user" && content.ValueKind == JsonValueKind.String) parts.Add(content.GetString()!);
            else if (role == "user")
                foreach (JsonElement part in content.EnumerateArray())
                    if (part.GetProperty("type").GetString() == "image_url") images.Add(part.GetProperty("image_url").GetProperty("url").GetString()!);
                    else parts.Add(part.GetProperty("text").GetString()!);
        }
        Request request;
        lock (_requests)
        {
            request = new Request(_requests.Count(r => r.Model == model) + 1, model, root, system, string.Join("\n", parts), images, parts,
                context.Request.Headers.Authorization.FirstOrDefault());
            _requests.Add(request);
        }
        Reply reply = script(request);
        if (reply.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(reply.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;   // the client gave up
            }
        }
        foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>()) context.Response.Headers[name] = value;
        context.Response.StatusCode = reply.Status;
        object payload = reply.Status == 200
            ? new
            {
                id = $"chatcmpl-{request.Index}",
                @object = "chat.completion",
                created = 1_700_000_000,
                model,
                choices = new[] { new { index = 0, message = new { role = "assistant", content = reply.Answer }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 10, completion_tokens = 5, total_tokens = 15 },
            }
            : new { error = new { message = $"scripted status {reply.Status}", type = "server_error", code = (string?)null } };
        await context.Response.WriteAsJsonAsync(payload);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Width and height of a PNG sent as a data URI (data:image/png;base64,...), from its IHDR chunk.</summary>
    public static (int Width, int Height) PngSize(string dataUri)
    {
        const string prefix = "data:image/png;base64,";
        Assert.StartsWith(prefix, dataUri);
        byte[] png = Convert.FromBase64String(dataUri[prefix.Length..]);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }
}
