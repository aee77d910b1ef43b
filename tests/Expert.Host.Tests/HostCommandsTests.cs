using Expert.Host.Hosting;

namespace Expert.Host.Tests;

/// <summary>The first argument picks a client command (README, "Client commands in the same binary"); anything else starts the host.</summary>
public sealed class HostCommandsTests
{
    [Theory]
    [InlineData("help")]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_lists_every_command_and_exits_0(string name)
    {
        var output = new StringWriter();

        int? exit = await HostCommands.TryRunAsync([name], output);

        Assert.Equal(0, exit);
        foreach (string usage in new[] { "[--urls URL]", "probe [address]", "bench [address]", "map-bench [address]", "map-bench --in-process" })
            Assert.Contains("dotnet Expert.Host.dll " + usage, output.ToString());
    }

    [Fact]
    public async Task Each_command_name_reaches_its_command()
    {
        var probe = new StringWriter();
        var mapBench = new StringWriter();

        int? probeExit = await HostCommands.TryRunAsync(["probe", "http://127.0.0.1:1"], probe);
        int? mapBenchExit = await HostCommands.TryRunAsync(["map-bench", "--bogus"], mapBench);

        Assert.Equal(1, probeExit);
        Assert.Contains("http://127.0.0.1:1: unreachable", probe.ToString());
        Assert.Equal(2, mapBenchExit);
        Assert.Contains("Unknown option --bogus. Usage: map-bench [address]", mapBench.ToString());
    }

    [Theory]
    [InlineData]
    [InlineData("--urls", "http://127.0.0.1:6000")]
    [InlineData("--Batching:MaxBatch", "16")]
    public async Task Other_arguments_start_the_host(params string[] args)
    {
        Assert.Null(await HostCommands.TryRunAsync(args, new StringWriter()));
    }
}
