using System.Text.RegularExpressions;
using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Teacher.Backends;
using Steve2.Pipeline.Teacher.Memory;
using Steve2.Pipeline.Teacher.Planning;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Teacher.Roles;

/// <summary>
/// The manager: plans centrally and splits the task into one part per agent. It plans on what the task is
/// about (the search target, settled from the goal by <see cref="TeacherSituation.TargetKind"/>, is one of its
/// facts) and, on its first creation call, makes the build plan: with the creation expert several imagined samples, of
/// which it keeps the one whose measured attributes match what the text states (<see cref="SampleChooser"/>; renders
/// kept in the expert context), without it a shape guessed from the words; either is split into boxes of one building
/// action each and clipped to the cleared site (<see cref="BoxPlanner"/>).
/// It is called again when the critic asks to replan. Each call is a consultation of the experts
/// (<see cref="ConsultAsync"/>), a question (<see cref="Prompt"/>) and a side-effect-free decision
/// (<see cref="DecideAsync"/>); the teacher applies and records the answer.
/// </summary>
public sealed partial class Manager(RoleRunner runner, ExpertClients? experts)
{
    /// <summary>Fewer imagined blocks than this is not a building: the teacher builds its own guess instead.</summary>
    public const int MinImaginedBlocks = 8;

    /// <summary>How many imagined samples (different seeds) the manager asks the creation expert for and chooses among.</summary>
    public const int ImaginedSamples = 8;

    /// <summary>The prior's sampling temperature for those samples: below the default 1.0, so samples keep closer to the text.</summary>
    public const float ImaginedTemperature = 0.5f;

    public const string OutputFormat = "one line per agent, 'agent N: SUBTASK', where SUBTASK is one of: explore DIRECTION | search ANIMAL [DIRECTION] | find BLOCK [DIRECTION] | collect ITEM COUNT [ITEM COUNT ...] | build | idle";

    /// <summary>
    /// What the manager needs from the experts before it can decide: on its first creation call, the build plan
    /// (the creation expert's imagined building and its order, or the teacher's own guess, with the correction
    /// to remember when the expert gave nothing usable); with the dynamic map, its description and picture.
    /// Asks the experts, writes nothing: the caller keeps the plan.
    /// </summary>
    public async Task<ManagerConsultation> ConsultAsync(TeacherSituation s, CancellationToken ct)
    {
        if (Tasks.CreationTask.IsCreation(s.Goal.Task) && s.Plan is null)
            return await MakeBuildPlanAsync(s, ct);
        if (s.Navigation is not null)
        {
            string? map = await s.Navigation.DescribeAsync(0, ct);
            byte[]? picture = await s.Navigation.RenderAsync(ct);
            if (map is not null || picture is not null)
                return new ManagerConsultation(new ExpertContext(map ?? "", picture is null ? [] : [new NamedImage("map", picture)]), null, null);
        }
        return new ManagerConsultation(null, null, null);
    }

    /// <summary>The manager's question: the task's instruction, every agent's description, the critic's recent corrections and the manager's facts.</summary>
    public static RolePrompt Prompt(TeacherSituation s, ExpertContext? expert)
    {
        var lines = s.Knowledge.Latest.Values.OrderBy(o => o.AgentId).Select(Describer.Describe).ToList();
        if (s.Goal.TargetImage is not null) lines.Add($"The target image shows a {s.TargetKind}.");
        return new RolePrompt(TeacherRole.Manager, 0, s.Goal.Instruction, string.Join("\n", lines), expert?.Text, OutputFormat,
            s.Memory.Recent(MemoryKind.Correction, null, 5).Select(m => m.Text).ToArray(), [], TeacherPerception.Manager(s));
    }

    /// <summary>The manager's decision: one part per agent, a plan the critic accepts. Side-effect free.</summary>
    public Task<RoleAnswer<Dictionary<int, SubTask>>> DecideAsync(RolePrompt prompt, CancellationToken ct) =>
        runner.DecideAsync(prompt, t => Parse(t, ((ManagerFacts)prompt.Facts).AgentCount), p => Critic.CheckPlan((ManagerFacts)prompt.Facts, p), ct);

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
            if (!plan.TryAdd(agent, part!)) return (null, $"agent {agent} has two parts; give each agent one line");
        }
        var missing = Enumerable.Range(0, agentCount).Where(a => !plan.ContainsKey(a)).ToArray();
        return missing.Length > 0 ? (null, $"no part for agent(s) {string.Join(", ", missing)}") : (plan, null);
    }

    /// <summary>
    /// The teacher's own build plan, made without the creation expert: the shape <see cref="ShapeGuesser"/> guesses from
    /// the words, at the site, in the goal's material. The no-expert teacher builds it, the teacher falls back to it, and
    /// the student makes the same plan when it plays (its notes' plan lines come from it, as in the recordings it learned
    /// from): it is a rule, not an expert's answer.
    /// </summary>
    public static SitePlan OwnBuildPlan(TeacherSituation s)
    {
        var (description, origin, side, item) = BuildGoal(s);
        return SitePlan.FromGridBoxes(ShapeGuesser.Guess(description, side), origin, side, item, "guess");
    }

    private static (string Description, BlockPos Origin, int Side, string Item) BuildGoal(TeacherSituation s) =>
        (s.Goal.BuildingDescription ?? s.Goal.Instruction, s.Goal.BuildSite ?? s.Latest(0).Pose.Block.Offset(3, 0, 0),
         s.Goal.BuildSiteSize ?? 0, s.Goal.BuildMaterial ?? Tasks.CreationTask.Material);

    private async Task<ManagerConsultation> MakeBuildPlanAsync(TeacherSituation s, CancellationToken ct)
    {
        var (description, origin, side, item) = BuildGoal(s);
        if (experts is not null)
        {
            // A refused or timed-out request (a busy host) is asked again with fewer samples.
            var imagined = await experts.ImagineSamplesAsync(description, (ulong)s.Goal.Seed, ImaginedSamples, ["front", "side", "top", "isometric"], s.Options.RenderSize, ct, ImaginedTemperature);
            for (int fewer = ImaginedSamples / 2; !imagined.Ok && fewer >= 1; fewer /= 2)
                imagined = await experts.ImagineSamplesAsync(description, (ulong)s.Goal.Seed, fewer, ["front", "side", "top", "isometric"], s.Options.RenderSize, ct, ImaginedTemperature);
            // The critic refuses an imagined building too small to be one, then keeps the sample that matches the text best.
            // Stray specks and whiskers of a sample are not built (AttributeMeasurer.Clean): a speck beside the building
            // would shift the whole plan at the site.
            var usable = (imagined.Value ?? []).Select(b => b with { Grid = Cleaned(b.Grid) }).Where(b => b.Grid.Count() >= MinImaginedBlocks).ToArray();
            if (usable.Length > 0)
            {
                var (best, scores) = SampleChooser.Choose(description, usable.Select(b => b.Grid).ToArray());
                ImaginedBuilding building = usable[best];
                var blocks = BlocksToBuild(building.Blocks, s.Goal, item);
                var plan = SitePlan.FromGridBoxes(building.Grid, blocks, origin, side, item, "expert");
                var (x, y, z) = global::Expert.VqVae.Corpus.BuildingCatalog.BoundingExtents(building.Grid);
                string materials = plan.Blocks.Count > 0
                    ? $"{plan.Steps.Count} build actions in the imagined blocks ({string.Join(", ", plan.Blocks)})."
                    : building.Blocks is null ? $"{plan.Steps.Count} build actions of {item} (the expert imagined no materials)." : $"{plan.Steps.Count} build actions of {item}.";
                string text = $"The creation expert ({building.ModelVersion}) imagined {usable.Length} samples for \"{description}\"; kept sample {best} " +
                    $"({building.Grid.Count()} blocks after removing specks, in a {x} x {y} x {z} box): {string.Join("; ", scores.Select(c => c.Describe()))}. " +
                    materials;
                var views = usable[best].Views.Count > 0 ? usable[best].Views : usable[0].Views;
                return new ManagerConsultation(new ExpertContext(text, views), plan, null);
            }
            string why = imagined.Error ?? $"every sample had fewer than {MinImaginedBlocks} blocks";
            return new ManagerConsultation(new ExpertContext($"The creation expert gave no usable building: {why}.", []),
                OwnBuildPlan(s), $"the creation expert gave no usable building ({why}); building the teacher's own guess");
        }
        return new ManagerConsultation(null, OwnBuildPlan(s), null);
    }

    /// <summary>
    /// The blocks the plan places: the imagined blocks, with every block the goal does not name (the agents do not hold
    /// it) replaced by the goal's material <paramref name="item"/>; null (an occupancy plan, all of <paramref name="item"/>)
    /// when the expert imagined no materials (an empty palette) or the goal's material is not a block of the palette.
    /// Never invents a block.
    /// </summary>
    public static global::Expert.VqVae.Voxels.MaterialGrid? BlocksToBuild(global::Expert.VqVae.Voxels.MaterialGrid? imagined, Tasks.TaskGoal goal, string item)
    {
        if (imagined is null || !global::Expert.VqVae.Materials.BlockMaterials.TryParse(item, out var fallback)
            || fallback == global::Expert.VqVae.Materials.BlockMaterial.Air) return null;
        var named = (goal.BuildMaterials ?? [item]).Append(item).ToHashSet();
        var blocks = imagined.Clone();
        for (int i = 0; i < blocks.Volume; i++)
        {
            var b = blocks.At(i);
            if (b != global::Expert.VqVae.Materials.BlockMaterial.Air && !named.Contains(global::Expert.VqVae.Materials.BlockMaterials.Name(b)))
                blocks.SetIndex(i, fallback);
        }
        return blocks;
    }

    /// <summary>The grid without the specks and whiskers the measurer ignores; the grid itself when that would leave nothing.</summary>
    private static VoxelGrid Cleaned(VoxelGrid grid)
    {
        VoxelGrid clean = global::Expert.VqVae.Corpus.AttributeMeasurer.Clean(grid);
        return clean.Count() > 0 ? clean : grid;
    }

    [GeneratedRegex(@"^\W*agent\s+(\d+)\s*[:\-]\s*(.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex AgentLine();
}
