using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Health.V1;
using Steve2.Pipeline.Hosting;
using HealthClient = Grpc.Health.V1.Health.HealthClient;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Steve2.Pipeline.Tests.Hosting;

/// <summary>Reaching the experts: a host started in process over a real loopback socket, and clear errors when none answers.</summary>
public sealed class ExpertConnectionTests
{
    [Fact]
    public async Task Without_an_address_starts_the_host_in_process_on_loopback_serving_then_stops_it()
    {
        string address;
        await using (ExpertConnection connection = await ExpertConnection.OpenAsync(address: null))
        {
            address = connection.Address;
            Assert.True(connection.IsInProcess);
            Assert.StartsWith("http://127.0.0.1:", address);
            Assert.DoesNotContain(":5080", address);
            HealthCheckResponse health = await new HealthClient(connection.Channel).CheckAsync(new HealthCheckRequest { Service = "steve2.expert.v1.OccupancyExpert" });
            Assert.Equal(ServingStatus.Serving, health.Status);

            // A second connection by address reaches the same host and passes the health check.
            await using ExpertConnection second = await ExpertConnection.OpenAsync(address);
            Assert.False(second.IsInProcess);
        }

        // Disposed: the port no longer answers.
        var gone = await Assert.ThrowsAsync<ExpertHostUnavailableException>(() =>
            ExpertConnection.ConnectAsync(address, new ExpertConnectionOptions { HealthDeadline = TimeSpan.FromSeconds(1) }));
        Assert.Contains($"no expert host answers at {address}", gone.Message);
    }

    [Fact]
    public async Task An_address_where_nothing_listens_fails_fast_and_says_what_to_do()
    {
        string address = $"http://127.0.0.1:{FreePort()}";
        // Fails on the refused connection (UNAVAILABLE), not by waiting out the health check's deadline
        // (DEADLINE_EXCEEDED), which is made long here so that load on the machine cannot reach it first.
        var options = new ExpertConnectionOptions { HealthDeadline = TimeSpan.FromMinutes(2) };

        var e = await Assert.ThrowsAsync<ExpertHostUnavailableException>(() => ExpertConnection.OpenAsync(address, options));

        Assert.Equal(StatusCode.Unavailable, Assert.IsType<RpcException>(e.InnerException).StatusCode);
        Assert.Contains($"no expert host answers at {address}", e.Message);
        Assert.Contains(ExpertConnection.StartHostCommand, e.Message);
        Assert.Contains("leave out --experts", e.Message);
    }

    [Theory]
    [InlineData("localhost:5080")]
    [InlineData("ftp://127.0.0.1:5080")]
    [InlineData("not an address")]
    public async Task A_malformed_address_is_refused_with_an_example(string address)
    {
        var e = await Assert.ThrowsAsync<ExpertHostUnavailableException>(() => ExpertConnection.ConnectAsync(address));
        Assert.Contains("http://127.0.0.1:5080", e.Message);
    }

    [Fact]
    public async Task An_in_process_host_whose_model_cannot_load_reports_why()
    {
        var options = new ExpertConnectionOptions
        {
            HostSettings = new Dictionary<string, string> { ["Model:CheckpointPath"] = Path.Combine(AppContext.BaseDirectory, "missing.ckpt") },
        };

        var e = await Assert.ThrowsAsync<ExpertHostUnavailableException>(() => ExpertConnection.StartInProcessAsync(options));

        Assert.Contains("missing.ckpt", e.Message);
        Assert.Contains("in-process expert host did not start", e.Message);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
