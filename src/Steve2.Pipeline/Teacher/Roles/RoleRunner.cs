using Steve2.Pipeline.Teacher.Backends;

namespace Steve2.Pipeline.Teacher.Roles;

/// <summary>
/// A role's decision: asks its backend and lets the critic check the answer. An answer that does not parse or
/// cannot work is sent back with the critic's reason, up to <c>maxRetries</c> times; a backend that fails
/// (unreachable endpoint, timeouts and server errors after its own retries) is not asked again for this step.
/// After that the embedded rule backend answers and <see cref="RoleAnswer{T}.Fallback"/> says why. A rule answer that does not parse is a bug and throws;
/// one the critic finds infeasible is still used (the world then says why it fails, and the critic learns).
/// Writes nothing: what the answer changes is the caller's apply step.
/// </summary>
public sealed class RoleRunner(IRoleBackend backend, int maxRetries)
{
    public IRoleBackend Backend => backend;

    public async Task<RoleAnswer<T>> DecideAsync<T>(RolePrompt prompt, Func<string, (T? Value, string? Error)> parse, Func<T, string?> feasible, CancellationToken ct)
        where T : class
    {
        var feedback = new List<string>();
        string? fallback = null, failure = null;
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
                    // The backend already retried what was worth retrying: asking again would only wait again.
                    failure = e.Message;
                    break;
                }
                var (value, error) = parse(text);
                if (value is not null && (error = feasible(value)) is null) return new RoleAnswer<T>(value, text, feedback.Count, null, backend.Name);
                feedback.Add($"your answer '{text}' was rejected: {error}. Answer again in the format: {prompt.OutputFormat}");
            }
            fallback = failure is not null
                ? $"{prompt.Role.Name()} backend {backend.Name} failed ({failure}){(feedback.Count > 0 ? $" after {feedback.Count} rejected answers" : "")}; the rule backend answered"
                : $"{prompt.Role.Name()} backend {backend.Name} gave no usable answer after {feedback.Count} tries ({feedback[^1]}); the rule backend answered";
        }
        ct.ThrowIfCancellationRequested();
        string ruleText = RuleBackend.Answer(prompt);
        var (ruleValue, ruleError) = parse(ruleText);
        if (ruleValue is null)
            throw new InvalidOperationException($"The rule backend's {prompt.Role.Name()} answer '{ruleText}' was rejected: {ruleError}. This is a bug in Teacher/Rules.");
        return new RoleAnswer<T>(ruleValue, ruleText, feedback.Count, fallback, RuleBackend.Instance.Name);
    }
}

/// <summary>A role's accepted answer, its text, how many answers were rejected first, why the rule backend answered instead of the role's own (null when it did not), and the backend that answered ("rules", "chat:MODEL").</summary>
public sealed record RoleAnswer<T>(T Value, string Text, int Rejected, string? Fallback, string AnsweredBy = "rules");
