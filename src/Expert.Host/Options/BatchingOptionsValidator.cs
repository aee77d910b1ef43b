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
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
