using Expert.DynamicMap.Shared;
using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Evaluation;
using Steve2.Pipeline.Evaluation.ImageMetric;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Trajectories;
using Steve2.Pipeline.World;

namespace Steve2.Pipeline.Play;

/// <summary>What the user asks `steve2 play` for: an agent on a task and seed, with the task's own goal or the user's (a building description, a target kind).</summary>
public sealed record PlayRequest(ITaskDefinition Task, int Seed, string? Description = null, string? Target = null, int? MaxIterations = null);

/// <summary>A played episode: the score (null when the goal has no ground truth), the files written.</summary>
public sealed record PlayResult(TaskGoal Goal, string Split, TaskResult Result, bool Scored, string TrajectoryFolder, string ReplayPath, int Frames, string ResultPicturePath);

/// <summary>
/// One episode on the user's goal (Play/PLAY.md): the task's world for the seed, the task's goal or the user's, the agent's run
/// recorded in the trajectory format, a frame per iteration for the animated replay, and the result picture.
/// </summary>
public static class PlaySession
{
    /// <summary>The object-search target kinds a user may name: the animals and the structures' chests (TASKS.md).</summary>
    public static IReadOnlyList<string> TargetKinds { get; } = ["pig", "cow", "sheep", "chicken", ObjectSearchTask.RuinChest, ObjectSearchTask.PyramidChest];

    /// <summary>The least iteration budget of a user's building description (the seed's own target may be much smaller).</summary>
    public const int DescriptionMinBudget = 200;

    /// <summary>Blocks of the material each agent starts with for a user's description.</summary>
    public const int DescriptionStartingBlocks = 1024;

    /// <summary>Refuses what cannot be played: a description off creation, a target off object search, an unknown target kind.</summary>
    public static void Check(PlayRequest request)
    {
        if (request.Description is not null && request.Target is not null) throw new ArgumentException("give --description or --target, not both.");
        if (request.Description is not null && request.Task.Name != "creation")
            throw new ArgumentException($"--description is for the creation task, not {request.Task.Name}.");
        if (request.Description is { } d && string.IsNullOrWhiteSpace(d)) throw new ArgumentException("--description is empty: describe the building.");
        if (request.Target is not null && request.Task.Name != "object-search")
            throw new ArgumentException($"--target is for the object-search task, not {request.Task.Name}.");
        if (request.Target is { } t && !TargetKinds.Contains(t))
            throw new ArgumentException($"unknown target '{t}'. Targets: {string.Join(", ", TargetKinds)}.");
        if (request.MaxIterations is < 1) throw new ArgumentException("--max-iterations must be at least 1.");
        TaskSeedPolicy.Check(request.Task.Name, request.Seed);   // the seeds between the evaluation and training ranges belong to no task
    }

    public static async Task<PlayResult> RunAsync(PlayRequest request, AgentEntry agent, string outputFolder, CancellationToken cancellationToken)
    {
        Check(request);
        ITaskDefinition task = request.Task;
        string split = TrajectoryFormat.SplitOf(task.Seeds, request.Seed);
        EpisodeSpec spec = task.Episode(request.Seed);
        if (request.Description is { } description)
            spec = spec with { StartingInventory = new Dictionary<string, int> { [CreationTask.MaterialFor(description)] = DescriptionStartingBlocks } };
        using IEnvironment environment = new VoxelEnvironmentFactory().Create(spec);
        VoxelWorld blocks = ((VoxelEnvironment)environment).Blocks;
        var (goal, scorer, scored, site) = Goal(request, environment);
        if (request.MaxIterations is { } cap && cap < goal.IterationBudget) goal = goal with { IterationBudget = cap };

        Directory.CreateDirectory(outputFolder);
        string trajectoryRoot = Path.Combine(outputFolder, "trajectory");
        using TrajectoryWriter writer = TrajectoryWriter.Begin(trajectoryRoot, agent.Name, split, goal);
        var views = new ViewKeeper(writer);
        var frames = new List<byte[]>();
        RgbImage? lastFrame = null;
        var watcher = new FrameScorer(scorer, (agentId, world) =>
        {
            var agents = world.Entities.Where(e => e.Kind == "agent").OrderBy(e => e.Id).ToList();
            RgbImage frame = PlayPictures.Frame(views.LastView(agentId), WorldPictures.TopDown(blocks), blocks,
                agents.Select(a => a.Position).ToList(), agents.FindIndex(a => a.Id == agentId),
                world.Entities.Where(e => e.Kind != "agent").Select(e => e.Position).ToList());
            frames.Add(WorldPictures.EncodePng(frame));
            lastFrame = frame;
        });
        var context = new EpisodeContext(environment, goal, watcher, views);
        IAgent player = agent.Create();
        try
        {
            await player.RunEpisodeAsync(context, cancellationToken);
        }
        finally
        {
            if (player is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
            else if (player is IDisposable disposable) disposable.Dispose();
        }
        TaskResult result = context.Finish();
        string trajectory = writer.Complete(result);

        string replay = Path.Combine(outputFolder, "replay.png");
        if (frames.Count == 0)   // no iteration was played: the start, so the replay still shows the world
        {
            var agents = environment.World.Entities.Where(e => e.Kind == "agent").Select(e => e.Position).ToList();
            lastFrame = PlayPictures.Frame(null, WorldPictures.TopDown(blocks), blocks, agents, -1,
                environment.World.Entities.Where(e => e.Kind != "agent").Select(e => e.Position).ToList());
            frames.Add(WorldPictures.EncodePng(lastFrame));
        }
        AtomicFile.WriteBytes(replay, ApngWriter.Encode(frames, delayMs: 400));

        string picture = Path.Combine(outputFolder, "result.png");
        RgbImage resultImage;
        if (site is not null)
        {
            RgbImage built = PlayPictures.Projections(site.BuiltInRegion(environment.World), (230, 180, 110));
            resultImage = scorer is CreationScorer creation
                ? PlayPictures.Stack(built, PlayPictures.Projections(site.TargetInRegion(creation.Target), (120, 200, 120)))
                : built;
        }
        else
        {
            resultImage = lastFrame!;   // the other tasks: the last iteration's view and map
        }
        WorldPictures.SavePng(resultImage, picture);
        return new PlayResult(goal, split, result, scored, trajectory, replay, frames.Count, picture);
    }

    /// <summary>The goal and scorer: the task's for the seed, or the user's. A description has no ground truth (not scored).</summary>
    private static (TaskGoal Goal, ITaskScorer Scorer, bool Scored, BuildSite? Site) Goal(PlayRequest request, IEnvironment environment)
    {
        ITaskDefinition task = request.Task;
        if (request.Target is { } kind)
        {
            TaskSeedPolicy.Check(task.Name, request.Seed);
            IWorldQuery world = environment.World;
            double distance = ObjectSearchTask.SuccessDistance;
            if (ObjectSearchTask.IsChestKind(kind))
            {
                var structure = kind == ObjectSearchTask.PyramidChest ? ObjectSearchTask.Structure.Pyramid : ObjectSearchTask.Structure.Ruin;
                BlockPos[] chests = world.ChestPositions.Where(c => ObjectSearchTask.StructureOf(world, c) == structure).ToArray();
                if (chests.Length == 0) throw new ArgumentException($"the world of seed {request.Seed} has no {ObjectSearchTask.StructureName(structure)} chest: try another seed.");
                string text = $"Find the {ObjectSearchTask.StructureName(structure)}, find the chest inside and take all the items in it.";
                return (new TaskGoal(task.Name, request.Seed, text, new ObjectSearchTask().IterationBudget, environment.AgentCount, TargetName: kind),
                    new ObjectSearchScorer(task.Name, request.Seed, kind, distance, chests), true, null);
            }
            if (!world.Entities.Any(e => e.Kind == kind)) throw new ArgumentException($"the world of seed {request.Seed} has no {kind}: try another seed.");
            return (new TaskGoal(task.Name, request.Seed, $"Find a {kind} and get within {distance:0} blocks of it.", new ObjectSearchTask().IterationBudget,
                    environment.AgentCount, TargetName: kind),
                new ObjectSearchScorer(task.Name, request.Seed, kind, distance), true, null);
        }

        TaskSetup setup = task.Setup(request.Seed, environment);
        BuildSite? site = setup.Scorer is CreationScorer c ? c.Site : null;
        if (request.Description is not { } description) return (setup.Goal, setup.Scorer, true, site);

        // The user's building on the seed's cleared site: the whole site is the region shown, nothing to compare with.
        int side = setup.Goal.BuildSiteSize!.Value;
        BlockPos origin = setup.Goal.BuildSite!.Value;
        string material = CreationTask.MaterialFor(description);
        TaskGoal goal = setup.Goal with
        {
            Instruction = $"Build this on the cleared {side} by {side} site whose north-west ground corner is {origin}: {description}. Use {material}.",
            BuildingDescription = description,
            BuildMaterial = material,
            IterationBudget = Math.Max(setup.Goal.IterationBudget, DescriptionMinBudget),
        };
        var region = new BuildSite(origin, side, BuildSite.ClearHeight - BuildSite.Margin, side, side);
        return (goal, new UnscoredScorer(task.Name, request.Seed), false, region);
    }

    /// <summary>Keeps each agent's latest view from the recorded steps, and passes every step on to the trajectory.</summary>
    private sealed class ViewKeeper(IStepRecorder inner) : IStepRecorder
    {
        private readonly Dictionary<int, RgbImage> _views = new();

        public void Record(StepRecord step)
        {
            _views[step.AgentId] = step.Image;
            inner.Record(step);
        }

        public RgbImage? LastView(int agentId) => _views.GetValueOrDefault(agentId);
    }

    /// <summary>The task's scorer, plus a frame after every iteration.</summary>
    private sealed class FrameScorer(ITaskScorer inner, Action<int, IWorldQuery> onIteration) : ITaskScorer
    {
        public bool IsComplete => inner.IsComplete;

        public void Record(int agentId, CodeAction action, ActionOutcome outcome, IWorldQuery world)
        {
            inner.Record(agentId, action, outcome, world);
            onIteration(agentId, world);
        }

        public TaskResult Finish(int iterationsUsed, IWorldQuery world) => inner.Finish(iterationsUsed, world);
    }

    /// <summary>A user's building: no ground truth, so no score; the episode ends when the budget is spent or the agent stops.</summary>
    private sealed class UnscoredScorer(string task, int seed) : ITaskScorer
    {
        public bool IsComplete => false;
        public void Record(int agentId, CodeAction action, ActionOutcome outcome, IWorldQuery world) { }
        public TaskResult Finish(int iterationsUsed, IWorldQuery world) =>
            new(task, seed, false, iterationsUsed, new Dictionary<string, double> { ["iterations"] = iterationsUsed });
    }
}
