using Expert.Host.Batching;
using Expert.Host.Grpc;
using Expert.Host.Health;
using Expert.Host.Hosting;
using Expert.Host.Maps;
using Expert.Host.Model;
using Expert.Host.Options;
using Expert.Host.Telemetry;
using Expert.Host.Tools;

// The STEVE-2 experts over gRPC (see protos/ and README): steve2.expert.v1.OccupancyExpert (creation)
// and steve2.expert.v1.DynamicMapExpert (per-episode maps). Client commands share the binary: the
// container's health probe and the two load benchmarks.
if (HealthProbe.IsProbe(args)) return await HealthProbe.RunAsync(args);
if (LoadBenchmark.IsBench(args)) return await LoadBenchmark.RunAsync(args);
if (MapIngestBenchmark.IsMapBench(args)) return await MapIngestBenchmark.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
builder.UseExpertAddress().AddExpertTelemetry();
builder.Services.AddExpertOptions().AddOccupancyModel().AddGenerationBatching().AddExpertGrpc().AddDynamicMaps().AddExpertHealth();

var app = builder.Build();
app.MapExpertGrpc();
app.MapDynamicMaps();
app.MapExpertHealth();
await app.RunAsync();
return 0;

/// <summary>The host's entry point, public for WebApplicationFactory in the tests.</summary>
public partial class Program;
