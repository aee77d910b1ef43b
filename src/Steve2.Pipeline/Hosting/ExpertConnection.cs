using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Steve2.Expert.V1;
using HealthClient = Grpc.Health.V1.Health.HealthClient;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Steve2.Pipeline.Hosting;

/// <summary>
/// The pipeline's way to the experts: a gRPC channel to a host that answers grpc.health.v1 with
/// SERVING. Given an address, it connects to a running host and checks its health with a short
/// deadline; given none, it starts the expert host in this process on a free loopback port
/// (<see cref="InProcessExpertHost"/>) and stops it again on dispose.
/// </summary>
public sealed class ExpertConnection : IAsyncDisposable
{
    /// <summary>The environment variable the commands read the experts' API key from when <c>--experts-key</c> is not given.</summary>
    public const string ApiKeyVariable = "STEVE2_EXPERTS_API_KEY";

    /// <summary>The command that starts a stand-alone host, quoted in error messages.</summary>
    public const string StartHostCommand = "dotnet run --project src/Expert.Host -c Release";

    private readonly InProcessExpertHost? _host;

    private ExpertConnection(string address, GrpcChannel channel, InProcessExpertHost? host)
    {
        Address = address;
        Channel = channel;
        _host = host;
    }

    /// <summary>The host's address, for example <c>http://127.0.0.1:40321</c>.</summary>
    public string Address { get; }

    /// <summary>The channel every expert client of this run shares.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>True when this connection started the host itself (and stops it on dispose).</summary>
    public bool IsInProcess => _host is not null;

    /// <summary>Connects to <paramref name="address"/>, or starts a host in process when it is null or empty.</summary>
    public static Task<ExpertConnection> OpenAsync(string? address, ExpertConnectionOptions? options = null, CancellationToken cancellationToken = default) =>
        string.IsNullOrWhiteSpace(address)
            ? StartInProcessAsync(options, cancellationToken)
            : ConnectAsync(address, options, cancellationToken);

    /// <summary>Connects to a running host and checks that it is SERVING; throws <see cref="ExpertHostUnavailableException"/> otherwise.</summary>
    public static async Task<ExpertConnection> ConnectAsync(string address, ExpertConnectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ExpertConnectionOptions();
        if (!Uri.TryCreate(address, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ExpertHostUnavailableException(
                $"'{address}' is not an expert host address: give one such as http://127.0.0.1:5080, or leave out --experts to start one in process.");
        }

        GrpcChannel channel = CreateChannel(address, options, options.ApiKey);
        try
        {
            HealthCheckResponse response = await new HealthClient(channel).CheckAsync(new HealthCheckRequest(),
                deadline: DateTime.UtcNow.Add(options.HealthDeadline), cancellationToken: cancellationToken);
            if (response.Status != ServingStatus.Serving)
            {
                throw new ExpertHostUnavailableException(
                    $"the expert host at {address} answers but is {response.Status} (its model is loading or failed to load): " +
                    "wait and retry, read the host's log, or leave out --experts to start one in process.");
            }
            // Health is anonymous: one cheap authenticated call tells a missing or refused key now, not on every expert call of a run.
            await new OccupancyExpert.OccupancyExpertClient(channel).GetModelInfoAsync(new GetModelInfoRequest(),
                deadline: DateTime.UtcNow.Add(options.HealthDeadline), cancellationToken: cancellationToken);
            return new ExpertConnection(address, channel, host: null);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested && e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied)
        {
            channel.Dispose();
            throw new ExpertHostUnavailableException(e.StatusCode == StatusCode.Unauthenticated
                ? $"the expert host at {address} wants an API key and refuses {(string.IsNullOrEmpty(options.ApiKey) ? "a call without one" : "the one given")} " +
                  $"(Unauthenticated): pass --experts-key or set {ApiKeyVariable} to the key its operator gave you."
                : $"the expert host at {address} accepts the API key but not for the experts (PermissionDenied): the key needs the roles occupancy and maps.", e);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            channel.Dispose();
            throw new ExpertHostUnavailableException(
                $"no expert host answers at {address} ({e.StatusCode}): start one with `{StartHostCommand}`, " +
                "or leave out --experts to start one in process.", e);
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    /// <summary>Starts the expert host in this process on 127.0.0.1 (a free port) and waits until it is SERVING.</summary>
    public static async Task<ExpertConnection> StartInProcessAsync(ExpertConnectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ExpertConnectionOptions();
        InProcessExpertHost host = await InProcessExpertHost.StartAsync(options, cancellationToken);
        GrpcChannel channel = CreateChannel(host.Address, options, options.ApiKey);
        try
        {
            await host.WaitUntilServingAsync(new HealthClient(channel), options.StartTimeout, cancellationToken);
            return new ExpertConnection(host.Address, channel, host);
        }
        catch
        {
            channel.Dispose();
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Closes the channel and stops an in-process host (its map data is deleted with it).</summary>
    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        if (_host is not null) await _host.DisposeAsync();
    }

    private static GrpcChannel CreateChannel(string address, ExpertConnectionOptions options, string? apiKey)
    {
        var channelOptions = new GrpcChannelOptions { MaxReceiveMessageSize = options.MaxReceiveMessageBytes };
        if (!string.IsNullOrEmpty(apiKey))
        {
            // A header on every HTTP request of the channel: the health check and every call of ExpertClients carry it,
            // over h2c as over TLS (gRPC call credentials would demand TLS).
            channelOptions.HttpHandler = new ApiKeyHandler(apiKey) { InnerHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } };
            channelOptions.DisposeHttpClient = true;
        }
        return GrpcChannel.ForAddress(address, channelOptions);
    }

    /// <summary>Adds <c>x-api-key</c> to every request.</summary>
    private sealed class ApiKeyHandler(string apiKey) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation("x-api-key", apiKey);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
