using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using Expert.Host.Grpc;
using Expert.Host.Telemetry;
using Expert.Host.Tests.DynamicMap;
using Expert.Host.Tests.Infrastructure;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Steve2.Expert.V1;
using Wire = Steve2.Expert.V1;

namespace Expert.Host.Tests;

/// <summary>
/// Issue 12, the host under hostile input, over real loopback h2c: errors stay small enough for any client to
/// read, undecodable requests are the client's fault, and a client that walks away is a cancel, not a host error.
/// </summary>
public sealed class HostileInputTests : IDisposable
{
    /// <summary>Trailers far under the smallest common header limit (8 KiB).</summary>
    private const int TrailerBudget = 6 * 1024;

    private readonly MapFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    // ---- 1. Errors are bounded ------------------------------------------------------------------

    [Fact]
    public async Task A_thousand_bad_view_names_or_one_huge_one_answer_INVALID_ARGUMENT_promptly_and_the_channel_keeps_working()
    {
        await using ExpertHostFactory host = await ExpertHostFactory.OnLoopback().ReadyAsync();
        using GrpcChannel channel = GrpcChannel.ForAddress(host.LoopbackAddress());
        var client = new OccupancyExpert.OccupancyExpertClient(channel);

        var many = Requests.Generate();
        many.Views.AddRange(Enumerable.Range(0, 1000).Select(i => $"no-such-view-{i}"));
        var huge = Requests.Generate();
        huge.Views.Add(new string('v', 40_000));

        foreach (GenerateOccupancyRequest request in new[] { many, huge })
        {
            // A trailer the client cannot take leaves it waiting for its deadline: DEADLINE_EXCEEDED, not INVALID_ARGUMENT.
            RpcException e = await Rpc.FailsAsync(() => client.GenerateOccupancyAsync(request, deadline: DateTime.UtcNow.AddSeconds(20)).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            AssertBounded(e);
        }
        BadRequest listed = Details<BadRequest>(await Rpc.FailsAsync(() => client.GenerateOccupancyAsync(many).ResponseAsync));
        Assert.InRange(listed.FieldViolations.Count, 2, ClientStatus.MaxViolations + 1);
        Assert.Equal(ClientStatus.MoreField, listed.FieldViolations[^1].Field);
        Assert.Contains($"and {1000 - (listed.FieldViolations.Count - 1)} more", listed.FieldViolations[^1].Description);
        Assert.All(listed.FieldViolations.SkipLast(1), v => Assert.Equal("views", v.Field));

        // The same channel still works.
        Assert.Equal(4, (await client.GenerateOccupancyAsync(Requests.Generate())).Views.Count);
    }

    [Fact]
    public async Task The_map_service_bounds_its_errors_the_same_way()
    {
        await using var host = MapHost.Start(_folder.Path, loopback: true);
        string hugeId = new('e', 40_000);

        RpcException missing = await Rpc.FailsAsync(() => host.Client.DescribeMapAsync(new Wire.DescribeMapRequest { EpisodeId = hugeId }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        AssertBounded(missing);
        Assert.True(Details<ResourceInfo>(missing).ResourceName.Length <= ClientStatus.MaxFieldChars);

        await host.Client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "ep" });
        var batch = new Wire.ObservationBatch { EpisodeId = "ep" };
        for (int i = 0; i < 1000; i++)
            batch.Observations.Add(new Wire.Observation { AgentId = new string('a', 5000), Tick = i, Pose = new Wire.Pose { X = double.NaN, Y = 64, Z = 0 } });
        RpcException invalid = await Rpc.FailsAsync(() => host.Client.ObserveBatchAsync(batch, deadline: DateTime.UtcNow.AddSeconds(20)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        AssertBounded(invalid);
        Assert.Equal(ClientStatus.MoreField, Details<BadRequest>(invalid).FieldViolations[^1].Field);

        Assert.Single((await host.Client.ListEpisodesAsync(new Wire.ListEpisodesRequest())).Episodes);
    }

    [Fact]
    public void Sealing_caps_violations_texts_and_the_whole_status()
    {
        var violations = Enumerable.Range(0, 500).Select(i => ($"field_{i}_{new string('f', 300)}", new string('é', 2000))).ToArray();
        Google.Rpc.Status status = ClientStatus.InvalidArgument("Invalid request", violations).GetRpcStatus()!;

        Assert.True(status.CalculateSize() <= ClientStatus.MaxStatusBytes);
        Assert.True(ClientStatus.TrailerBytes(status) < TrailerBudget);
        BadRequest request = status.GetDetail<BadRequest>()!;
        Assert.InRange(request.FieldViolations.Count, 2, ClientStatus.MaxViolations + 1);
        Assert.All(request.FieldViolations, v => Assert.True(v.Field.Length <= ClientStatus.MaxFieldChars && v.Description.Length <= ClientStatus.MaxTextChars));
        Assert.EndsWith("…", request.FieldViolations[0].Description);
        int listed = request.FieldViolations.Count - 1;
        Assert.Contains($"and {500 - listed} more", request.FieldViolations[^1].Description);
        Assert.Equal(ClientStatus.MaxEchoChars, ClientStatus.Echo(new string('x', 10_000)).Length);

        // Detail types the sealing does not know (a quota failure, say) pass unchanged while small.
        var quota = new QuotaFailure { Violations = { new QuotaFailure.Types.Violation { Subject = "principal:a", Description = "5 calls/s" } } };
        var withQuota = new Google.Rpc.Status { Code = (int)Code.ResourceExhausted, Message = "slow down", Details = { Google.Protobuf.WellKnownTypes.Any.Pack(quota) } };
        Assert.Equal(quota, ClientStatus.Seal(withQuota).GetDetail<QuotaFailure>());
        Assert.Equal("ab", ClientStatus.Echo("ab"));
    }

    [Theory]
    [InlineData("Episode 'ep' on disk is damaged: /srv/maps/episodes/ep/log.bin is not an episode log (bad header).",
        "Episode 'ep' on disk is damaged: log.bin is not an episode log (bad header).")]
    [InlineData("The model failed to load from '/app/Checkpoints/default.ckpt': Could not find file '/app/Checkpoints/default.ckpt'.",
        "The model failed to load from 'default.ckpt': Could not find file 'default.ckpt'.")]
    [InlineData(@"cannot use C:\data\maps\episodes (denied)", "cannot use episodes (denied)")]
    [InlineData("The map data directory '/data/maps/' cannot be used", "The map data directory 'maps' cannot be used")]
    [InlineData("Subject episodes/ep-1, observations[0].pose.x is 1/2 of the limit", "Subject episodes/ep-1, observations[0].pose.x is 1/2 of the limit")]
    public void Server_paths_are_cut_to_their_last_name_and_nothing_else_changes(string text, string client)
    {
        Assert.Equal(client, ClientStatus.WithoutPaths(text));
        Assert.Equal(client, ClientStatus.Plain(StatusCode.DataLoss, text).Status.Detail);
    }

    [Fact]
    public async Task A_failed_model_load_tells_clients_why_but_not_where_the_checkpoint_lives()
    {
        var generator = new TestDoubles.FakeOccupancyGenerator();
        var loader = new TestDoubles.FakeGeneratorFactory(generator) { FailWith = new FileNotFoundException("Could not find file '/srv/secret/model.ckpt'.") };
        await using var host = new ExpertHostFactory(generator, loader: loader);
        var client = host.CreateExpertClient();
        await Assert.ThrowsAsync<FileNotFoundException>(() => host.Get<Expert.Host.Model.ModelHolder>().WhenLoaded);
        string folder = Path.GetDirectoryName(typeof(ExpertHostFactory).Assembly.Location)!;

        RpcException e = await Rpc.FailsAsync(() => client.GenerateOccupancyAsync(Requests.Generate()).ResponseAsync);
        GetModelInfoResponse info = await client.GetModelInfoAsync(new GetModelInfoRequest());

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        foreach (string told in new[] { e.Status.Detail, info.StatusMessage })
        {
            Assert.Contains("model.ckpt", told);
            Assert.DoesNotContain("/srv/secret", told);
            Assert.DoesNotContain(folder, told);
        }
    }

    // ---- 2. Undecodable requests ----------------------------------------------------------------

    private static TheoryData<string, string, byte[]> Undecodable => new()
    {
        // GenerateOccupancyRequest.description (field 1, string) holding 0xC3 0x28: not UTF-8.
        { "OccupancyExpert/GenerateOccupancy", "invalid UTF-8", [0x0A, 0x02, 0xC3, 0x28] },
        // description claims 16 bytes, 1 follows.
        { "OccupancyExpert/GenerateOccupancy", "truncated", [0x0A, 0x10, (byte)'a'] },
        // seed (field 2, varint) with 11 continuation bytes.
        { "OccupancyExpert/GenerateOccupancy", "bad varint", [0x10, .. Enumerable.Repeat((byte)0xFF, 11), 0x01] },
        { "OccupancyExpert/GenerateOccupancyStream", "invalid UTF-8", [0x0A, 0x02, 0xC3, 0x28] },
        // DescribeMapRequest.episode_id (field 1).
        { "DynamicMapExpert/DescribeMap", "invalid UTF-8", [0x0A, 0x03, (byte)'e', 0xFF, (byte)'p'] },
        { "DynamicMapExpert/DescribeMap", "truncated", [0x0A, 0x20, (byte)'e'] },
        { "DynamicMapExpert/DescribeMap", "bad varint", [0x18, .. Enumerable.Repeat((byte)0x80, 11), 0x01] },
        // Observe (client stream) of ObservationBatch: episode_id (field 1).
        { "DynamicMapExpert/Observe", "invalid UTF-8", [0x0A, 0x02, 0xC3, 0x28] },
        { "DynamicMapExpert/Observe", "truncated", [0x1A, 0x40, 0x0A] },
        { "DynamicMapExpert/Observe", "bad varint", [0x10, .. Enumerable.Repeat((byte)0xFF, 11), 0x01] },
    };

    [Fact]
    public async Task An_undecodable_request_is_INVALID_ARGUMENT_with_a_warning_and_no_stack_trace()
    {
        await using var host = MapHost.Start(_folder.Path, loopback: true);
        await host.Factory.ReadyAsync();
        var measurements = new ConcurrentQueue<(string Rpc, string Status)>();
        using var listener = ListenToRequests(host.Factory, measurements);
        using var http = H2cClient();

        foreach (object[] row in Undecodable)
        {
            (string method, string what, byte[] message) = ((string)row[0], (string)row[1], (byte[])row[2]);
            (HttpStatusCode httpStatus, string? grpcStatus, string? grpcMessage) =
                await PostAsync(http, host.Factory.LoopbackAddress() + "/steve2.expert.v1." + method, Frame(message));

            Assert.True(HttpStatusCode.OK == httpStatus, $"{method} {what}: HTTP {httpStatus} {grpcMessage}");
            Assert.True(((int)StatusCode.InvalidArgument).ToString() == grpcStatus, $"{method} {what}: grpc-status {grpcStatus} '{grpcMessage}'");
            Assert.Contains("could not be decoded", grpcMessage);
        }
        var logs = host.Factory.Logs.Entries.ToArray();
        Assert.DoesNotContain(logs, l => l.Level >= LogLevel.Error);
        Assert.DoesNotContain(logs, l => l.Exception is not null && l.Level >= LogLevel.Warning);
        Assert.Equal(Undecodable.Count(), logs.Count(l => l.Level == LogLevel.Warning && l.Message.Contains("could not be decoded")));
        // Each call counted once, with its status, whether decoded before the interceptors (unary, server stream) or inside (Observe).
        Assert.Equal(Undecodable.Count(), measurements.Count);
        Assert.All(measurements, m => Assert.Equal("InvalidArgument", m.Status));
        Assert.Equal(3, measurements.Count(m => m.Rpc == "Observe"));
        Assert.Equal(3, measurements.Count(m => m.Rpc == "GenerateOccupancy"));
    }

    [Fact]
    public async Task A_frame_cut_short_is_not_a_host_error()
    {
        await using var host = MapHost.Start(_folder.Path, loopback: true);
        using var http = H2cClient();
        byte[] frame = Frame([0x0A, 0x02, (byte)'e', (byte)'p'])[..4]; // the length prefix itself cut short

        (_, string? grpcStatus, _) = await PostAsync(http, host.Factory.LoopbackAddress() + "/steve2.expert.v1.DynamicMapExpert/DescribeMap", frame);

        Assert.NotEqual(((int)StatusCode.Unknown).ToString(), grpcStatus);
        Assert.NotEqual(((int)StatusCode.OK).ToString(), grpcStatus);
        Assert.DoesNotContain(host.Factory.Logs.Entries, l => l.Level >= LogLevel.Error);
    }

    // ---- 3. Clients that walk away --------------------------------------------------------------

    [Fact]
    public async Task Fifty_client_cancels_of_Observe_mid_stream_are_CANCELLED_never_a_host_error_and_Observe_is_counted()
    {
        await using var host = MapHost.Start(_folder.Path, loopback: true);
        var measurements = new ConcurrentQueue<(string Rpc, string Status)>();
        using var listener = ListenToRequests(host.Factory, measurements);
        await host.Client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "walk" });
        await Observe(host.Client, "walk", batches: 2, cancelAfter: null); // one that completes: OK

        for (int i = 0; i < 50; i++)
        {
            using var cts = new CancellationTokenSource();
            await Observe(host.Client, "walk", batches: 1 + i % 3, cancelAfter: cts);
        }

        await Rpc.EventuallyAsync(() => measurements.Count(m => m.Rpc == "Observe") >= 51, "every Observe call to be recorded");
        var observes = measurements.Where(m => m.Rpc == "Observe").ToArray();
        Assert.Contains(observes, m => m.Status == "OK");
        var logs = host.Factory.Logs.Entries.ToArray();
        Assert.True(!observes.Any(m => m.Status is "Internal" or "Unknown"),
            "A call ended as a host error; what the host logged about reads and failures:\n" + string.Join("\n",
                logs.Where(l => l.Exception is not null || l.Level >= LogLevel.Warning).Select(l => $"{l.Level} {l.Category} {l.Message} {l.Exception?.GetType().Name}: {l.Exception?.Message}")));
        Assert.Contains(observes, m => m.Status == "Cancelled");
        Assert.DoesNotContain(logs, l => l.Level >= LogLevel.Error);
        Assert.Contains(logs, l => l.Message.StartsWith("Observe answered OK", StringComparison.Ordinal));
    }

    private static async Task Observe(Wire.DynamicMapExpert.DynamicMapExpertClient client, string episode, int batches, CancellationTokenSource? cancelAfter)
    {
        using var call = client.Observe(cancellationToken: cancelAfter?.Token ?? default);
        try
        {
            for (int b = 0; b < batches; b++)
                await call.RequestStream.WriteAsync(new Wire.ObservationBatch
                {
                    EpisodeId = episode,
                    Observations = { MapWire.Packed("scout", Random.Shared.NextInt64(1, 1_000_000), b, b) },
                });
            if (cancelAfter is null)
            {
                await call.RequestStream.CompleteAsync();
                await call.ResponseAsync;
                return;
            }
            cancelAfter.Cancel();
            await call.ResponseAsync;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
        {
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static void AssertBounded(RpcException e)
    {
        Google.Rpc.Status status = e.GetRpcStatus() ?? new Google.Rpc.Status { Message = e.Status.Detail };
        Assert.True(status.CalculateSize() <= ClientStatus.MaxStatusBytes, $"status of {status.CalculateSize()} bytes");
        Assert.True(ClientStatus.TrailerBytes(status) < TrailerBudget);
        Assert.True(e.Status.Detail.Length <= ClientStatus.MaxMessageChars);
    }

    private static T Details<T>(RpcException e) where T : class, Google.Protobuf.IMessage<T>, new() =>
        e.GetRpcStatus()?.GetDetail<T>() ?? throw new Xunit.Sdk.XunitException($"No {typeof(T).Name} detail.");

    private static MeterListener ListenToRequests(ExpertHostFactory host, ConcurrentQueue<(string, string)> measurements)
    {
        IMeterFactory meterFactory = host.Services.GetRequiredService<IMeterFactory>();
        var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ExpertMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory) && instrument.Name == "expert.requests")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var t = new Dictionary<string, object?>(tags.ToArray());
            measurements.Enqueue(((string)t["rpc"]!, (string)t["grpc.status"]!));
        });
        listener.Start();
        return listener;
    }

    /// <summary>An HttpClient that speaks HTTP/2 without TLS (h2c), as gRPC clients do on loopback.</summary>
    private static HttpClient H2cClient() => new(new SocketsHttpHandler())
    {
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TimeSpan.FromSeconds(20),
    };

    /// <summary>A gRPC length-prefixed message: uncompressed flag, 4-byte big-endian length, the bytes.</summary>
    private static byte[] Frame(byte[] message)
    {
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    private static async Task<(HttpStatusCode Status, string? GrpcStatus, string? GrpcMessage)> PostAsync(HttpClient http, string url, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new ByteArrayContent(body), Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        string? Header(string name) =>
            response.TrailingHeaders.TryGetValues(name, out var t) ? t.First()
            : response.Headers.TryGetValues(name, out var h) ? h.First() : null;
        string? message = Header("grpc-message") ?? (response.StatusCode == HttpStatusCode.OK ? null : response.Version + " " + await response.Content.ReadAsStringAsync() + string.Join(",", response.Headers.Select(h => h.Key + "=" + string.Join("|", h.Value))));
        return (response.StatusCode, Header("grpc-status"), message is null ? null : Uri.UnescapeDataString(message));
    }
}
