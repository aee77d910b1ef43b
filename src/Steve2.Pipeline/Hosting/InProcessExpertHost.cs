using System.Globalization;
using Expert.Host.Hosting;
using Expert.Host.Model;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using HealthClient = Grpc.Health.V1.Health.HealthClient;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Steve2.Pipeline.Hosting;

/// <summary>
/// The expert host (Expert.Host, built by <see cref="ExpertHostApp"/>) running inside the pipeline's
/// process on a real loopback socket: 127.0.0.1, a port the system picks, HTTP/2 without TLS. Its map
/// data goes to a fresh temporary folder that is deleted when the host stops.
/// </summary>
internal sealed class InProcessExpertHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDirectory;

    private InProcessExpertHost(WebApplication app, string address, string dataDirectory)
    {
        _app = app;
        Address = address;
        _dataDirectory = dataDirectory;
    }

    public string Address { get; }

    public static async Task<InProcessExpertHost> StartAsync(ExpertConnectionOptions options, CancellationToken cancellationToken)
    {
        string dataDirectory = Path.Combine(Path.GetTempPath(), $"steve2-experts-{System.Environment.ProcessId}-{Guid.NewGuid():N}");
        var settings = new Dictionary<string, string>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Kestrel:EndpointDefaults:Protocols"] = "Http2",
            ["Map:DataDirectory"] = dataDirectory,
            ["Logging:LogLevel:Default"] = options.HostLogLevel.ToString(),
            ["Logging:Console:LogToStandardErrorThreshold"] = "Trace",
        };
        foreach ((string key, string value) in options.HostSettings) settings[key] = value;
        string[] args = settings.Select(s => string.Create(CultureInfo.InvariantCulture, $"--{s.Key}={s.Value}")).ToArray();

        WebApplication? app = null;
        try
        {
            app = ExpertHostApp.Build(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
            await app.StartAsync(cancellationToken);
            IServerAddressesFeature addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
                ?? throw new InvalidOperationException("Kestrel reports no address.");
            return new InProcessExpertHost(app, addresses.Addresses.Single(), dataDirectory);
        }
        catch (Exception e) when (e is OptionsValidationException or IOException or InvalidOperationException)
        {
            if (app is not null) await app.DisposeAsync();
            DeleteQuietly(dataDirectory);
            throw new ExpertHostUnavailableException(
                $"the in-process expert host did not start: {e.Message} Fix that, or start a host with " +
                $"`{ExpertConnection.StartHostCommand}` and pass its address with --experts.", e);
        }
    }

    /// <summary>Polls grpc.health.v1 until SERVING; a failed model load or the timeout ends the wait with a clear error.</summary>
    public async Task WaitUntilServingAsync(HealthClient health, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ModelHolder model = _app.Services.GetRequiredService<ModelHolder>();
        DateTime giveUp = DateTime.UtcNow + timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (model.State == ModelState.Failed)
            {
                throw new ExpertHostUnavailableException(
                    $"the in-process expert host cannot serve: {model.StatusMessage} Set Model:CheckpointPath to a checkpoint " +
                    $"written by `vqvae train`, or start a host with `{ExpertConnection.StartHostCommand}` and pass --experts.");
            }
            try
            {
                HealthCheckResponse response = await health.CheckAsync(new HealthCheckRequest(),
                    deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellationToken);
                if (response.Status == ServingStatus.Serving) return;
            }
            catch (RpcException) when (!cancellationToken.IsCancellationRequested)
            {
                // Not answering yet: try again until the timeout.
            }
            if (DateTime.UtcNow > giveUp)
            {
                throw new ExpertHostUnavailableException(
                    $"the in-process expert host at {Address} was not SERVING after {timeout.TotalSeconds:F0} s ({model.StatusMessage}): " +
                    $"retry, or start a host with `{ExpertConnection.StartHostCommand}` and pass --experts.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync(CancellationToken.None);
        }
        finally
        {
            await _app.DisposeAsync();
            DeleteQuietly(_dataDirectory);
        }
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder that cannot be removed now is left to the system's cleaner.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
