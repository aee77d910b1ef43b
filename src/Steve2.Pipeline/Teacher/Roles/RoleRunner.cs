using Steve2.Pipeline.Teacher.Backends;
using Steve2.Pipeline.Teacher.Memory;

namespace Steve2.Pipeline.Teacher.Roles;

/// <summary>
/// Asks a role's backend and lets the critic check the answer: an answer that does not parse or cannot
/// work is sent back with the critic's reason, up to <c>maxRetries</c> times; a backend that fails
/// (unreachable endpoint, timeout) counts as a rejected answer. After that the embedded rule backend
/// answers, and the memory records the fallback. A rule answer that does not parse is a bug and throws;
/// one the critic finds infeasible is still used (the world then says why it fails, and the critic learns).
/// </summary>
public sealed class RoleRunner(IRoleBackend backend, int maxRetries)
{
    public IRoleBackend Backend => backend;

    /// <summary>The accepted answer, its text, and how many answers were rejected first.</summary>
    public async Task<(T Value, string Text, int Rejected)> AskAsync<T>(RolePrompt prompt, Func<string, (T? Value, string? Error)> parse, Func<T, string?> feasible, CancellationToken ct)
        where T : class
    {
        var feedback = new List<string>();
        if (backend is not RuleBackend)
        {
            for (int attempt = 0; attempt <= maxRetries; attempt++)
            {
                string text;
                try
                {
                    text = await backend.RespondAsync(prompt with { Feedback = feedback.ToArray() }, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    feedback.Add($"the backend {backend.Name} failed: {e.Message}");
                    continue;
                }
                var (value, error) = parse(text);
                if (value is not null && (error = feasible(value)) is null) return (value, text, feedback.Count);
                feedback.Add($"your answer '{text}' was rejected: {error}. Answer again in the format: {prompt.OutputFormat}");
            }
            prompt.Situation.Memory.Add(new MemoryEntry(prompt.Situation.Knowledge.Tick, MemoryKind.Correction, "critic", prompt.AgentId,
                $"{prompt.Role.Name()} backend {backend.Name} gave no usable answer after {feedback.Count} tries ({feedback[^1]}); the rule backend answered"));
        }
        string ruleText = await RuleBackend.Instance.RespondAsync(prompt, ct);
        var (ruleValue, ruleError) = parse(ruleText);
        if (ruleValue is null)
            throw new InvalidOperationException($"The rule backend's {prompt.Role.Name()} answer '{ruleText}' was rejected: {ruleError}. This is a bug in Teacher/Rules.");
        return (ruleValue, ruleText, feedback.Count);
    }
}
