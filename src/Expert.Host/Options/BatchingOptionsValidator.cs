using Microsoft.Extensions.Options;

namespace Expert.Host.Options;

/// <summary>Checks <see cref="BatchingOptions"/> at start; each message says what to change.</summary>
internal sealed class BatchingOptionsValidator : IValidateOptions<BatchingOptions>
{
    public ValidateOptionsResult Validate(string? name, BatchingOptions o)
    {
        var errors = new List<string>();
        if (o.MaxBatch is < 1 or > BatchingOptions.MaxBatchLimit)
            errors.Add($"Batching:MaxBatch is {o.MaxBatch}: set it to 1..{BatchingOptions.MaxBatchLimit} (1 turns batching off) (Batching__MaxBatch).");
        if (o.BatchWindowMs is < 0 or > 1000)
            errors.Add($"Batching:BatchWindowMs is {o.BatchWindowMs}: set it to 0..1000 milliseconds; a few ms is usual (Batching__BatchWindowMs).");
        if (o.MaxQueue is < 1 or > 100_000)
            errors.Add($"Batching:MaxQueue is {o.MaxQueue}: set it to 1..100000 waiting requests (Batching__MaxQueue).");
        if (o.MaxConcurrentBatches is < 1 or > 64)
            errors.Add($"Batching:MaxConcurrentBatches is {o.MaxConcurrentBatches}: set it to 1..64 model calls at once (Batching__MaxConcurrentBatches).");
        if (!double.IsFinite(o.MaxQueuedWorkSeconds) || o.MaxQueuedWorkSeconds is < 0.1 or > 3600)
            errors.Add($"Batching:MaxQueuedWorkSeconds is {o.MaxQueuedWorkSeconds}: set it to 0.1..3600 seconds of estimated work queued and running (Batching__MaxQueuedWorkSeconds).");
        if (!double.IsFinite(o.SecondsPerGenerationUnit) || o.SecondsPerGenerationUnit is <= 0 or > 10)
            errors.Add($"Batching:SecondsPerGenerationUnit is {o.SecondsPerGenerationUnit}: set it to a number in (0, 10], the model seconds of one sample's decoding step; about 0.006 on 2 CPU cores (Batching__SecondsPerGenerationUnit).");
        if (!double.IsFinite(o.EstimateSmoothing) || o.EstimateSmoothing is <= 0 or > 1)
            errors.Add($"Batching:EstimateSmoothing is {o.EstimateSmoothing}: set it to a number in (0, 1], the weight of each new measurement (Batching__EstimateSmoothing).");
        if (o.IdleTrimSeconds is < 0 or > 86_400)
            errors.Add($"Batching:IdleTrimSeconds is {o.IdleTrimSeconds}: set it to 0..86400 seconds (0 turns the idle memory trim off) (Batching__IdleTrimSeconds).");
        if (o.MallocArenaMax is < 0 or > 1024)
            errors.Add($"Batching:MallocArenaMax is {o.MallocArenaMax}: set it to 0..1024 (0 keeps glibc's default) (Batching__MallocArenaMax).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
