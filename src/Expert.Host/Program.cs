using Expert.Host.Health;
using Expert.Host.Hosting;
using Expert.Host.Tools;

// The STEVE-2 experts over gRPC (see protos/ and README): steve2.expert.v1.OccupancyExpert (creation)
// and steve2.expert.v1.DynamicMapExpert (per-episode maps). Client commands share the binary: the
// container's health probe and the two load benchmarks. The app itself is built in Hosting/ExpertHostApp.
if (HealthProbe.IsProbe(args)) return await HealthProbe.RunAsync(args);
if (LoadBenchmark.IsBench(args)) return await LoadBenchmark.RunAsync(args);
if (MapIngestBenchmark.IsMapBench(args)) return await MapIngestBenchmark.RunAsync(args);

await ExpertHostApp.Build(args).RunAsync();
return 0;
