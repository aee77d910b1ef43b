using Expert.Host.Hosting;

// The STEVE-2 experts over gRPC (see protos/ and README): steve2.expert.v1.OccupancyExpert (creation)
// and steve2.expert.v1.DynamicMapExpert (per-episode maps), built in Hosting/ExpertHostApp. The client
// commands that share the binary (probe, bench, map-bench, help) are dispatched by Hosting/HostCommands.
if (await HostCommands.TryRunAsync(args) is int exitCode) return exitCode;

await ExpertHostApp.Build(args).RunAsync();
return 0;
