using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Expert.Host.Health;

/// <summary>
/// <c>dotnet Expert.Host.dll probe [address]</c>: asks a running host's grpc.health.v1 whether it
/// serves, prints the answer, and exits 0 for SERVING, 1 otherwise. The container's HEALTHCHECK
/// runs it (the runtime image has no curl, and the endpoint speaks HTTP/2 only). The address
/// defaults to EXPERT_PROBE_ADDRESS, else http://127.0.0.1:5080.
/// </summary>
internal static class HealthProbe
{
    public const string Command = "probe";
    public const string Usage = "probe [address]";
    public const string Summary = "exit 0 when the host at address is SERVING, 1 otherwise (the container's HEALTHCHECK); EXPERT_PROBE_ADDRESS overrides the default address";
    public const string DefaultAddress = "http://127.0.0.1:5080";

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null)
    {
        output ??= Console.Out;
        string address = args.Length > 1 ? args[1]
            : Environment.GetEnvironmentVariable("EXPERT_PROBE_ADDRESS") is { Length: > 0 } fromEnvironment ? fromEnvironment
            : DefaultAddress;
        try
        {
            using GrpcChannel channel = GrpcChannel.ForAddress(address);
            var client = new global::Grpc.Health.V1.Health.HealthClient(channel);
            HealthCheckResponse response = await client.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
            await output.WriteLineAsync($"{address}: {response.Status}");
            return response.Status == HealthCheckResponse.Types.ServingStatus.Serving ? 0 : 1;
        }
        catch (Exception e) when (e is RpcException or UriFormatException or InvalidOperationException)
        {
            await output.WriteLineAsync($"{address}: unreachable ({e.Message})");
            return 1;
        }
    }
}
