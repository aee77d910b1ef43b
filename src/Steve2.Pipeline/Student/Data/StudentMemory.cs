using System.Globalization;
using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Teacher.Decisions;

namespace Steve2.Pipeline.Student.Data;

/// <summary>One earlier step of the episode as a player remembers it: who acted in which role, what it said, the code and the outcome.</summary>
public sealed record RememberedStep(string Role, int AgentId, string ActionText, string? Code, StepOutcome? Outcome);

/// <summary>
/// The student's bounded memory of its episode (STUDENT.md): what a player remembers, built the same way when the
/// dataset is made from recorded steps and when the student plays, from the visible steps and the team's own
/// perception (never expert/). Lines, the most useful first (the prompt keeps the first tokens of the segment):
/// <list type="number">
/// <item>the notes: the team's own perception for this role and agent (<see cref="StudentNotes"/>: what it has seen
/// and heard, where it could not go, where its teammates are heading);</item>
/// <item>progress: the team's successful placements and removals so far, the last placed block, and the items gained
/// (creation needs what it has built, collection what it has);</item>
/// <item>for conductors: this agent's current directive (the last one it gave; an actor's instruction is its directive);</item>
/// <item>the team's last <see cref="RecentActions"/> code actions with their outcomes ("agent 1: place(...) -> ok").</item>
/// </list>
/// </summary>
public static class StudentMemory
{
    public const int RecentActions = 4;
    private const int MessageChars = 48;

    public static string Text(IReadOnlyList<RememberedStep> history, string role, int agentId, RoleFacts? facts, string? instruction = null)
    {
        var lines = new List<string>();
        string notes = StudentNotes.Text(facts, instruction, agentId);
        if (notes.Length > 0) lines.Add(notes);
        int placed = 0, removed = 0;
        string? lastPlaced = null;
        var gained = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in history)
        {
            if (s.Code is null || s.Outcome is not { Success: true } o) continue;
            if (s.Code.StartsWith("place(", StringComparison.Ordinal)) { placed++; lastPlaced = s.Code; }
            else if (s.Code.StartsWith("mine(", StringComparison.Ordinal) && o.Gained.Count == 0) removed++;
            foreach (var (item, n) in o.Gained) gained[item] = gained.GetValueOrDefault(item) + n;
        }
        string progress = string.Create(CultureInfo.InvariantCulture, $"progress: placed {placed}, removed {removed}");
        if (lastPlaced is not null) progress += $", last {lastPlaced}";
        if (gained.Count > 0) progress += "; gained " + string.Join(", ", gained.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value}")));
        lines.Add(progress);
        if (role == "conductor")
        {
            var directive = history.LastOrDefault(s => s.Role == "conductor" && s.AgentId == agentId);
            if (directive is not null) lines.Add("current goal: " + directive.ActionText);
        }
        foreach (var s in history.Where(s => s.Code is not null).Reverse().Take(RecentActions))
        {
            string outcome = s.Outcome is null ? "" : s.Outcome.Success ? " -> ok" : " -> failed: " + Clip(s.Outcome.Message);
            lines.Add($"agent {s.AgentId}: {s.Code}{outcome}");
        }
        return string.Join("\n", lines);
    }

    private static string Clip(string text) => text.Length <= MessageChars ? text : text[..MessageChars];
}
