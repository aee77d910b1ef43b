namespace Steve2.Pipeline.Student.Inference;

/// <summary>How the student picks each token: greedy (temperature 0, the default) or sampled at a temperature from the top-k tokens (0: all).</summary>
public sealed record SamplingOptions(double Temperature = 0, int TopK = 0)
{
    public static SamplingOptions Greedy { get; } = new();
    public bool IsGreedy => Temperature <= 0;

    public SamplingOptions Validated() => Temperature < 0 || TopK < 0
        ? throw new ArgumentException("The temperature and top-k must not be negative (0: greedy, 0: all tokens).")
        : this;
}
