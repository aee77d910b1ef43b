using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Steve2.Pipeline.Experts;
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

    private ExpertConnection(string address, IReadOnlyList<GrpcChannel> channels, InProcessExpertHost? host)
    {
        Address = address;
        Channels = channels;
        _host = host;
    }

    /// <summary>The host's address, for example <c>http://127.0.0.1:40321</c> (as given: several, or a <c>dns:///</c> name, for replicas).</summary>
    public string Address { get; }

    /// <summary>The channel every expert client of this run shares (the first replica's when there are several).</summary>
    public GrpcChannel Channel => Channels[0];

    /// <summary>One channel per expert host replica (one unless the address named several, or a DNS name with several addresses).</summary>
    public IReadOnlyList<GrpcChannel> Channels { get; }

    /// <summary>The experts' clients over every replica: occupancy calls round-robin, each episode's map on one replica (<see cref="ExpertClients(IReadOnlyList{GrpcChannel})"/>).</summary>
    public ExpertClients CreateClients() => new(Channels);

    /// <summary>True when this connection started the host itself (and stops it on dispose).</summary>
    public bool IsInProcess => _host is not null;

    /// <summary>Connects to <paramref name="address"/>, or starts a host in process when it is null or empty.</summary>
    public static Task<ExpertConnection> OpenAsync(string? address, ExpertConnectionOptions? options = null, CancellationToken cancellationToken = default) =>
        string.IsNullOrWhiteSpace(address)
            ? StartInProcessAsync(options, cancellationToken)
            : ConnectAsync(address, options, cancellationToken);

    /// <summary>
    /// Connects to a running host and checks that it is SERVING; throws <see cref="ExpertHostUnavailableException"/> otherwise.
    /// Several replicas (client-side load balancing): addresses separated by commas (<c>http://a:5080,http://b:5080</c>), or
    /// <c>dns:///name:port</c>, resolved once here to every address of the name (a Kubernetes headless Service); each must
    /// be SERVING.
    /// </summary>
    public static async Task<ExpertConnection> ConnectAsync(string address, ExpertConnectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ExpertConnectionOptions();
        IReadOnlyList<string> replicas = await ReplicasAsync(address, cancellationToken);
        var channels = new List<GrpcChannel>();
        try
        {
            foreach (string replica in replicas) channels.Add(await ConnectOneAsync(replica, options, cancellationToken));
        }
        catch
        {
            foreach (GrpcChannel channel in channels) channel.Dispose();
            throw;
        }
        return new ExpertConnection(address, channels, host: null);
    }

    /// <summary>The replicas' addresses: the comma-separated list, or every address of a <c>dns:///name:port</c>.</summary>
    private static async Task<IReadOnlyList<string>> ReplicasAsync(string address, CancellationToken cancellationToken)
    {
        const string dns = "dns:///";
        if (!address.StartsWith(dns, StringComparison.OrdinalIgnoreCase))
            return address.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        string target = address[dns.Length..];
        int colon = target.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(target[(colon + 1)..], out int port) || port is < 1 or > 65535)
            throw new ExpertHostUnavailableException($"'{address}' is not an expert host address: write dns:///name:port, for example dns:///steve2-experts-pods:5080.");
        string name = target[..colon];
        System.Net.IPAddress[] ips;
        try
        {
            ips = await System.Net.Dns.GetHostAddressesAsync(name, cancellationToken);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new ExpertHostUnavailableException($"'{name}' does not resolve ({e.SocketErrorCode}): no expert host replicas at {address}.", e);
        }
        if (ips.Length == 0) throw new ExpertHostUnavailableException($"'{name}' resolves to no address: no expert host replicas at {address}.");
        return ips.Select(ip => new UriBuilder(Uri.UriSchemeHttp, ip.ToString(), port).Uri.ToString().TrimEnd('/')).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    private static async Task<GrpcChannel> ConnectOneAsync(string address, ExpertConnectionOptions options, CancellationToken cancellationToken)
    {
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
            return channel;
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
            return new ExpertConnection(host.Address, [channel], host);
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
        foreach (GrpcChannel channel in Channels) channel.Dispose();
        if (_host is not null) await _host.DisposeAsync();
    }

    private static GrpcChannel CreateChannel(string address, ExpertConnectionOptions options, string? apiKey)
    {
        var channelOptions = new GrpcChannelOptions { MaxReceiveMessageSize = options.MaxReceiveMessageBytes, DisposeHttpClient = true };
        // Several HTTP/2 connections when streams run out on one (as grpc-dotnet's own handler), and a bounded connect time.
        var sockets = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, ConnectTimeout = options.ConnectTimeout };
        // With a key: a header on every HTTP request of the channel: the health check and every call of ExpertClients carry it,
        // over h2c as over TLS (gRPC call credentials would demand TLS).
        channelOptions.HttpHandler = string.IsNullOrEmpty(apiKey) ? sockets : new ApiKeyHandler(apiKey) { InnerHandler = sockets };
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
