using System.Globalization;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Evaluation.Statistics;
using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Teacher.Decisions;

namespace Steve2.Pipeline.Student.Inference;

/// <summary>What asking the student gave: the first usable answer (value and text), or null with every rejected answer and why.</summary>
public sealed record StudentAsked<T>(T? Value, string? Text, IReadOnlyList<string> Rejected) where T : class
{
    /// <summary>The memory line recorded when the safe default replaces the student's answers.</summary>
    public string FallbackReason(string role, string fallbackText) =>
        $"critic: the student's {role} answers were rejected {Rejected.Count} times ({string.Join("; ", Rejected)}); the safe default '{fallbackText}' was taken";
}

/// <summary>
/// One decision asked of the student, shared by <see cref="StudentAgent"/> and the DAgger rollouts: the model answers
/// (first with the configured sampling, then sampled again at <see cref="StudentAgentOptions.RetryTemperature"/> when
/// greedy), each answer is checked by the teacher's parser and the critic (<see cref="StudentAnswers"/>), and the first
/// usable one is kept. A model failure is a rejected answer, never an exception (cancellation aside).
/// </summary>
public static class StudentAsking
{
    /// <param name="seen">Called with every answer the model gave, usable or not (DAgger judges each one).</param>
    public static async Task<StudentAsked<T>> AskAsync<T>(StudentPolicy policy, StudentPrompt prompt, RgbImage image, int agentId, RoleFacts? facts,
        Func<string, T?> parse, Action<string>? seen, CancellationToken ct) where T : class
    {
        var options = policy.Options;
        var rejected = new List<string>();
        for (int attempt = 0; attempt <= options.MaxRetries; attempt++)
        {
            var sampling = attempt == 0 || !options.Sampling.IsGreedy ? options.Sampling : options.Sampling with { Temperature = options.RetryTemperature };
            string text;
            try
            {
                text = (await policy.Batcher.GenerateAsync(prompt, image.Pixels, sampling, QuestionRandom(options.Seed, prompt, attempt), ct)).Trim();
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                rejected.Add($"the model failed: {e.Message}");
                continue;
            }
            seen?.Invoke(text);
            string? problem = StudentAnswers.Problem(prompt.Role, agentId, text, facts);
            if (problem is null && parse(text) is T value) return new StudentAsked<T>(value, text, rejected);
            rejected.Add($"'{text}' ({problem ?? "does not parse"})");
        }
        ct.ThrowIfCancellationRequested();
        return new StudentAsked<T>(null, null, rejected);
    }

    /// <summary>
    /// The random stream of one attempt at one question: seeded by the student's seed, the prompt's text and the
    /// attempt, so a sampled answer (a retry, or every answer at a temperature) is the same in every run of the same
    /// episode, whichever episodes ran beside it (<c>--parallel</c>) and however their calls were batched.
    /// </summary>
    public static Random QuestionRandom(int seed, StudentPrompt prompt, int attempt) =>
        new((int)(StableSeed.From(seed.ToString(CultureInfo.InvariantCulture), prompt.Role, prompt.Instruction, prompt.StateText, prompt.Memory,
            attempt.ToString(CultureInfo.InvariantCulture)) & int.MaxValue));
}
