using System.Security.Cryptography;
using System.Text;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Hosting;

namespace Steve2.Pipeline.Tests.Hosting;

/// <summary>The pipeline's key reaches a host that authenticates callers: on the health check and every expert call.</summary>
public sealed class ExpertCredentialTests
{
    private const string Key = "pipeline-test-key-0123456789";

    [Fact]
    public async Task With_its_key_the_pipeline_reaches_an_authenticated_host_and_without_it_the_calls_say_what_to_pass()
    {
        var options = new ExpertConnectionOptions
        {
            ApiKey = Key,
            HostSettings = new Dictionary<string, string>
            {
                ["Security:ApiKeys:0:Principal"] = "pipeline",
                ["Security:ApiKeys:0:Roles"] = "occupancy,maps",
                ["Security:ApiKeys:0:KeySha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key))),
            },
        };
        await using ExpertConnection host = await ExpertConnection.StartInProcessAsync(options);
        await using ExpertConnection withKey = await ExpertConnection.ConnectAsync(host.Address, new ExpertConnectionOptions { ApiKey = Key });
        var noKey = await Assert.ThrowsAsync<ExpertHostUnavailableException>(() => ExpertConnection.ConnectAsync(host.Address));
        var wrongKey = await Assert.ThrowsAsync<ExpertHostUnavailableException>(() =>
            ExpertConnection.ConnectAsync(host.Address, new ExpertConnectionOptions { ApiKey = "not-the-key" }));
        using var bare = Grpc.Net.Client.GrpcChannel.ForAddress(host.Address); // past the connection's check: each call says what to pass

        ExpertResult<string> opened = await new ExpertClients(withKey.Channel).OpenMapAsync("pipeline-episode", CancellationToken.None);
        ExpertResult<string> refused = await new ExpertClients(bare).OpenMapAsync("pipeline-episode", CancellationToken.None);

        Assert.Contains("--experts-key", noKey.Message);
        Assert.Contains(ExpertConnection.ApiKeyVariable, noKey.Message);
        Assert.Contains("refuses the one given", wrongKey.Message);
        Assert.True(opened.Ok, opened.Error);
        Assert.Equal("pipeline-episode", opened.Value);
        Assert.False(refused.Ok);
        Assert.Contains("Unauthenticated", refused.Error);
        Assert.Contains("--experts-key", refused.Error);
    }
}
