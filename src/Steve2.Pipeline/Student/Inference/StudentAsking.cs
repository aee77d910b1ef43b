using System.Globalization;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Evaluation.Statistics;
using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Teacher.Decisions;

namespace Steve2.Pipeline.Student.Inference;

/// <summary>
/// What asking the student gave: the answer taken (value and text; null when none was usable) and every other answer
/// asked, refused or passed over for a concern, with why.
/// </summary>
public sealed record StudentAsked<T>(T? Value, string? Text, IReadOnlyList<string> Rejected) where T : class
{
    /// <summary>
    /// The memory line recorded when an answer was taken after others were refused or passed over (none when the first was
    /// taken): every answer asked before it, and why, so that a replay shows what the retries tried.
    /// </summary>
    public IEnumerable<string> RetryNote(string role) => Rejected.Count == 0 || Text is null ? []
        : [$"critic: {Rejected.Count} of the student's {role} answers were refused or passed over ({string.Join("; ", Rejected)}); '{Text}' was taken"];

    /// <summary>The memory line recorded when the safe default replaces the student's answers.</summary>
    public string FallbackReason(string role, string fallbackText) =>
        $"critic: the student's {role} answers were rejected {Rejected.Count} times ({string.Join("; ", Rejected)}); the safe default '{fallbackText}' was taken";
}

/// <summary>
/// One decision asked of the student, shared by <see cref="StudentAgent"/> and the DAgger rollouts: the model answers,
/// each answer is checked by the teacher's parser and the critic (<see cref="StudentAnswers"/>), and the first usable one
/// is kept. A model failure is a rejected answer, never an exception (cancellation aside).
/// <para>Retries. A greedy student asked again would write the same text, and a sampled retry of a confident model
/// mostly does too (creation seed 25: three refused answers, one text, <c>place stone 4 44 -6 47 -6</c> for the plan
/// step <c>4 44 -6 7 47 -6</c>). So a greedy retry <em>branches</em> a refused answer: one token it picked (eos included)
/// is replaced by the runner-up, the tokens before it kept and the rest written greedily again (<see cref="AnswerBranch"/>).
/// Which one: the branch that gives up the least log-probability, the margin of the replaced pick plus what the refused
/// answer had given up already when it was a branch itself (a best-first search for the next most likely answer, the
/// continuations greedy). A refused branch can go another way at its own first token too: the next token down, every
/// token it had tried there banned (the k-th choice at a place; before 2026-12-07 only the runner-up was ever tried:
/// creation seed 20's actor, told <c>place oak_planks -6 54 -4 -6 57 2</c>, wrote <c>57</c>, <c>-6</c> and <c>-4</c>
/// for the last number and never a third way there). **Where the critic points, first**: when its concern names what is
/// wrong in an actor's answer (<see cref="StudentAnswers.Faulted"/>: an argument that is not the directive's, or the action
/// itself), the places at the token that wrote the first character otherwise than wanted are tried before all others
/// (<see cref="FaultPlace"/>; since 2026-12-07: object search seed 12's actor, told <c>open 4 42 -47</c>, wrote
/// <c>openChest(3, 42, -47)</c> and its ten retries went elsewhere, eleven iterations running; creation seed 30's eleven
/// retries of a box ending <c>45</c> for <c>-15</c> each went back to the argument's sign, where a <c>5</c> after its
/// <c>-1</c> was wanted). No retry repeats a refused answer, and the answers depend on the prompt only. A student that
/// samples (a temperature) samples its retries from new streams.</para>
/// <para>A usable answer the critic has a concern about (<see cref="StudentAnswers.Concern"/>: a build step off the plan,
/// a box copied with a number dropped or repeated) is asked again the same way; the first retry without a
/// concern is taken, else the first usable answer. A hard refusal there would leave the team waiting: a greedy student
/// asked the same question writes the same answers again (seen: creation seed 91 waited 16 iterations).</para>
/// </summary>
public static class StudentAsking
{
    /// <param name="seen">Called with every answer the model gave, usable or not (DAgger judges each one).</param>
    public static async Task<StudentAsked<T>> AskAsync<T>(StudentPolicy policy, StudentPrompt prompt, RgbImage image, int agentId, RoleFacts? facts,
        Func<string, T?> parse, Action<string>? seen, CancellationToken ct) where T : class
    {
        var options = policy.Options;
        var rejected = new List<string>();
        var places = new List<(double Cost, AnswerBranch Branch, bool Directed)>();   // where a refused greedy answer could go another way
        (T Value, string Text)? usable = null;   // the first usable answer the critic had a concern about
        for (int attempt = 0; attempt <= options.MaxRetries; attempt++)
        {
            AnswerBranch? branch = null;
            double cost = 0;   // the log-probability this answer gives up against the greedy one (its branches')
            if (attempt > 0 && options.Sampling.IsGreedy)
            {
                if (places.Count == 0) break;   // nothing left to branch (every refused answer was a model failure)
                int least = 0;   // a place the critic pointed at first, then the least given up; the earliest on a tie
                for (int i = 1; i < places.Count; i++)
                    if ((places[i].Directed, -places[i].Cost).CompareTo((places[least].Directed, -places[least].Cost)) > 0) least = i;
                (cost, branch, _) = places[least];
                places.RemoveAt(least);
            }
            StudentReply reply;
            try
            {
                reply = await policy.Batcher.GenerateAsync(prompt, image.Pixels, options.Sampling, QuestionRandom(options.Seed, prompt, attempt), ct, branch);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                rejected.Add($"the model failed: {e.Message}");
                continue;
            }
            string text = reply.Text.Trim();
            seen?.Invoke(text);
            string? problem = StudentAnswers.Problem(prompt.Role, agentId, text, facts);
            if (problem is null && parse(text) is T value)
            {
                problem = StudentAnswers.Concern(prompt.Role, prompt.Instruction, text, facts);
                if (problem is null) return new StudentAsked<T>(value, text, rejected);
                usable ??= (value, text);
            }
            rejected.Add($"'{text}' ({problem ?? "does not parse"})");
            // Every pick can go another way: at the branch's own place the next token down (what it tried there banned too).
            // A pick with nothing left beside it (the grammar left one token) is no place to branch.
            int[] ids = reply.Answer.Ids;
            int? pointed = StudentAnswers.Faulted(prompt.Role, prompt.Instruction, text, facts) is { } fault
                ? FaultPlace(ids, policy.Batcher.Decode, fault) : null;
            places.AddRange(reply.Answer.Choices.Where(c => float.IsFinite(c.Margin)).Select(c => (cost + c.Margin,
                c.Position == branch?.Prefix.Length ? new AnswerBranch(branch.Prefix, [.. branch.Banned, c.Token]) : new AnswerBranch(ids[..c.Position], c.Token),
                c.Position == pointed)));
        }
        ct.ThrowIfCancellationRequested();
        return new StudentAsked<T>(usable?.Value, usable?.Text, rejected);
    }

    /// <summary>
    /// The place (index into <paramref name="ids"/>) of the token that writes the first character in which the answer's
    /// call leaves what the critic wants (<see cref="AnswerFault"/>): the first token for the action itself; in an argument,
    /// the first character that differs from the wanted text (for <c>-1</c> where <c>-15</c> is wanted, the token after
    /// the <c>1</c>, where a <c>5</c> could follow). Null when the answer has no such argument. <paramref name="decode"/>
    /// is the student's own (what the parsers read).
    /// </summary>
    public static int? FaultPlace(IReadOnlyList<int> ids, Func<IReadOnlyList<int>, string> decode, AnswerFault fault)
    {
        if (ids.Count == 0) return null;
        if (fault.Argument < 0 || fault.Wanted is null) return 0;
        string text = decode(ids);
        var (start, end) = ArgumentSpan(text, fault.Argument);
        if (start < 0) return null;
        string given = text[start..end].TrimEnd();
        int same = 0;
        while (same < given.Length && same < fault.Wanted.Length && given[same] == fault.Wanted[same]) same++;
        int at = start + same;   // the first character written otherwise than wanted
        for (int p = 0; p < ids.Count; p++)
            if (decode(ids.Take(p + 1).ToArray()).Length > at) return p;
        return null;
    }

    /// <summary>Where argument <paramref name="argument"/> of the call in <paramref name="text"/> starts (after its bracket or comma and the spaces) and ends (its comma or bracket), or (-1, -1).</summary>
    private static (int Start, int End) ArgumentSpan(string text, int argument)
    {
        int open = text.IndexOf('(');
        if (open < 0) return (-1, -1);
        int seen = 0, start = -1;
        bool quoted = false;
        for (int i = open + 1; i < text.Length; i++)
        {
            if (start < 0 && seen == argument && text[i] != ' ') start = i;
            char c = text[i];
            if (c == '"') { quoted = !quoted; continue; }
            if (quoted || (c != ',' && c != ')')) continue;
            if (seen == argument) return start < 0 || start == i ? (-1, -1) : (start, i);
            if (c == ')') break;
            seen++;
        }
        return start < 0 ? (-1, -1) : (start, text.Length);
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
