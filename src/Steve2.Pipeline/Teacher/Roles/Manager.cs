using System.Text.RegularExpressions;
using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Teacher.Backends;
using Steve2.Pipeline.Teacher.Memory;
using Steve2.Pipeline.Teacher.Planning;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Teacher.Roles;

/// <summary>
/// The manager: plans centrally and splits the task into one part per agent. On its first call it settles
/// what the task is about (the search target from the name, the sound, or the describer's reading of the
/// image) and, for creation, the build plan: with the creation expert its imagined grid and build order
/// (renders kept in the expert context), without it a shape guessed from the words and its own order.
/// It is called again when the critic asks to replan.
/// </summary>
public sealed partial class Manager(RoleRunner runner, ExpertClients? experts)
{
    /// <summary>Fewer imagined blocks than this is not a building: the teacher builds its own guess instead.</summary>
    public const int MinImaginedBlocks = 8;

    public const string OutputFormat = "one line per agent, 'agent N: SUBTASK', where SUBTASK is one of: explore DIRECTION | search ANIMAL [DIRECTION] | find BLOCK [DIRECTION] | collect ITEM COUNT | build | idle";

    public async Task PlanAsync(TeacherSituation s, EpisodeContext episode, CancellationToken ct)
    {
        ExpertContext? expert = null;
        var notes = new List<string>();
        if (s.Goal.Task == "object-search" && s.TargetKind is null)
        {
            s.TargetKind = s.Goal.TargetName ?? s.Goal.TargetSound ?? (s.Goal.TargetImage is { } image ? Describer.AnimalInImage(image) : null) ?? "animal";
            if (s.Goal.TargetImage is not null) notes.Add($"The target image shows a {s.TargetKind}.");
        }
        if (s.Goal.Task == "creation" && s.Plan is null)
        {
            (s.Plan, expert) = await MakeBuildPlanAsync(s, ct);
            s.Memory.Add(new MemoryEntry(s.Knowledge.Tick, MemoryKind.Trajectory, "manager", 0, $"build plan from {s.Plan.Source}: {s.Plan.Steps.Count} steps"));
        }
        if (expert is null && s.Navigation is not null)
        {
            string? map = await s.Navigation.DescribeAsync(0, ct);
            byte[]? picture = await s.Navigation.RenderAsync(ct);
            if (map is not null || picture is not null)
                expert = new ExpertContext(map ?? "", picture is null ? [] : [new NamedImage("map", picture)]);
        }
        string state = string.Join("\n", s.Knowledge.Latest.Values.OrderBy(o => o.AgentId).Select(Describer.Describe).Concat(notes));
        s.Memory.Add(new MemoryEntry(s.Knowledge.Tick, MemoryKind.Description, "manager", 0, state));
        var prompt = new RolePrompt(TeacherRole.Manager, 0, s.Goal.Instruction, state, expert?.Text, OutputFormat,
            s.Memory.Recent(MemoryKind.Correction, null, 5).Select(m => m.Text).ToArray(), [], s);
        var (plan, text, _) = await runner.AskAsync(prompt, t => Parse(t, s.AgentCount), _ => null, ct);
        foreach (var (agent, part) in plan) s.Assignments[agent] = part;
        episode.Recorder.Record(new StepRecord(episode.IterationsUsed, TeacherRole.Manager.Name(), 0, s.Goal.Instruction,
            s.Latest(0).Image, state, text, null, null, expert));
    }

    /// <summary>Reads a plan: one 'agent N: SUBTASK' line for every agent 0..agentCount-1.</summary>
    public static (Dictionary<int, SubTask>? Plan, string? Error) Parse(string text, int agentCount)
    {
        var plan = new Dictionary<int, SubTask>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Match m = AgentLine().Match(line);
            if (!m.Success) return (null, $"'{line}' is not 'agent N: SUBTASK'");
            int agent = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (agent >= agentCount) return (null, $"there is no agent {agent} (agents 0..{agentCount - 1})");
            if (!SubTask.TryParse(m.Groups[2].Value, out SubTask? part, out string error)) return (null, error);
            plan[agent] = part!;
        }
        var missing = Enumerable.Range(0, agentCount).Where(a => !plan.ContainsKey(a)).ToArray();
        return missing.Length > 0 ? (null, $"no part for agent(s) {string.Join(", ", missing)}") : (plan, null);
    }

    private async Task<(BuildPlan Plan, ExpertContext? Expert)> MakeBuildPlanAsync(TeacherSituation s, CancellationToken ct)
    {
        string description = s.Goal.BuildingDescription ?? s.Goal.Instruction;
        var origin = s.Goal.BuildSite ?? s.Latest(0).Pose.Block.Offset(3, 0, 0);
        if (experts is not null)
        {
            var imagined = await experts.ImagineBuildingAsync(description, (ulong)s.Goal.Seed, ["front", "side", "top", "isometric"], s.Options.RenderSize, ct);
            // The critic refuses an imagined building too small to be one.
            if (imagined.Value is ImaginedBuilding building && building.Grid.Count() >= MinImaginedBlocks)
            {
                IReadOnlyList<PlannedBlock> order = building.BuildOrder;
                string orderSource = "the expert's build order";
                if (order.Count == 0)
                {
                    var asked = await experts.GetBuildOrderAsync(building.Grid, ct);
                    order = asked.Value ?? OwnBuildOrder.Plan(building.Grid);
                    orderSource = asked.Ok ? "GetBuildOrder" : $"the teacher's own order ({asked.Error})";
                }
                var (x, y, z) = global::Expert.VqVae.Corpus.BuildingCatalog.BoundingExtents(building.Grid);
                string text = $"The creation expert ({building.ModelVersion}) imagined {building.Grid.Count()} blocks in a {x} x {y} x {z} box for \"{description}\"; " +
                    $"{order.Count} build steps from {orderSource} ({order.Count(o => o.Action == PlannedBlockAction.Scaffold)} scaffolds).";
                return (BuildPlan.FromGrid(building.Grid, order, origin, "expert"), new ExpertContext(text, building.Views));
            }
            string why = imagined.Error ?? $"it imagined only {imagined.Value?.Grid.Count() ?? 0} blocks (fewer than {MinImaginedBlocks})";
            s.Memory.Add(new MemoryEntry(s.Knowledge.Tick, MemoryKind.Correction, "critic", 0, $"the creation expert gave no usable building ({why}); building the teacher's own guess"));
            VoxelGrid fallback = ShapeGuesser.Guess(description);
            return (BuildPlan.FromGrid(fallback, OwnBuildOrder.Plan(fallback), origin, "guess"),
                new ExpertContext($"The creation expert gave no usable building: {why}.", imagined.Value?.Views ?? []));
        }
        VoxelGrid guess = ShapeGuesser.Guess(description);
        return (BuildPlan.FromGrid(guess, OwnBuildOrder.Plan(guess), origin, "guess"), null);
    }

    [GeneratedRegex(@"^\W*agent\s+(\d+)\s*[:\-]\s*(.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex AgentLine();
}
