using Expert.Host.Hosting;

// The STEVE-2 experts over gRPC (see protos/ and README): steve2.expert.v1.OccupancyExpert (creation)
// and steve2.expert.v1.DynamicMapExpert (per-episode maps), built in Hosting/ExpertHostApp. The client
// commands that share the binary (probe, bench, map-bench, help) are dispatched by Hosting/HostCommands.
if (await HostCommands.TryRunAsync(args) is int exitCode) return exitCode;

// Settings the host would refuse at start (each message names what to change): said plainly, exit code 2.
if (ExpertHostApp.StartupRefusals(args) is { Count: > 0 } refusals)
{
    foreach (string refusal in refusals) Console.Error.WriteLine($"error: {refusal}");
    return 2;
}

await ExpertHostApp.Build(args).RunAsync();
return 0;
