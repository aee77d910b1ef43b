using Expert.Host.Tests.Infrastructure;
using Grpc.Core;
using Steve2.Expert.V1;
using Stage = Steve2.Expert.V1.GenerationProgress.Types.Stage;

namespace Expert.Host.Tests;

/// <summary>GenerateOccupancyStream: progress in stage order, then one result equal to the unary answer.</summary>
public sealed class StreamTests
{
    [Fact]
    public async Task Streams_progress_then_the_result()
    {
        await using var host = await new ExpertHostFactory().ReadyAsync();
        OccupancyExpert.OccupancyExpertClient client = host.CreateExpertClient();
        GenerateOccupancyRequest request = Requests.Generate();
        request.IncludeBuildOrder = true;

        var updates = new List<GenerateOccupancyUpdate>();
        using (AsyncServerStreamingCall<GenerateOccupancyUpdate> call = client.GenerateOccupancyStream(request))
        {
            await foreach (GenerateOccupancyUpdate update in call.ResponseStream.ReadAllAsync())
                updates.Add(update);
        }
        GenerateOccupancyResponse unary = await client.GenerateOccupancyAsync(request);

        Assert.Equal(
            [Stage.Queued, Stage.Generating, Stage.Rendering, Stage.Planning],
            updates.Where(u => u.UpdateCase == GenerateOccupancyUpdate.UpdateOneofCase.Progress).Select(u => u.Progress.Stage));
        Assert.Equal(GenerateOccupancyUpdate.UpdateOneofCase.Result, updates[^1].UpdateCase);
        Assert.Single(updates, u => u.UpdateCase == GenerateOccupancyUpdate.UpdateOneofCase.Result);
        GenerateOccupancyResponse result = updates[^1].Result;
        Assert.Equal(unary.Grid, result.Grid);
        Assert.Equal(unary.Views.Select(v => v.Name), result.Views.Select(v => v.Name));
        Assert.Equal(unary.BuildOrder, result.BuildOrder);
        Assert.Equal(1u, updates[1].Progress.BatchSize);
        double[] elapsed = updates.Where(u => u.Progress is not null).Select(u => u.Progress.ElapsedMs).ToArray();
        Assert.Equal(elapsed.Order(), elapsed);
    }

    [Fact]
    public async Task Without_renders_or_plan_the_stream_skips_those_stages()
    {
        await using var host = await new ExpertHostFactory().ReadyAsync();
        GenerateOccupancyRequest request = Requests.Generate();
        request.SkipRender = true;

        using AsyncServerStreamingCall<GenerateOccupancyUpdate> call = host.CreateExpertClient().GenerateOccupancyStream(request);
        List<GenerateOccupancyUpdate> updates = await call.ResponseStream.ReadAllAsync().ToListAsync();

        Assert.Equal([Stage.Queued, Stage.Generating], updates.SkipLast(1).Select(u => u.Progress.Stage));
        Assert.Empty(updates[^1].Result.Views);
    }
}
