using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Tasks;

namespace Steve2.Pipeline.Tests.Evaluation;

/// <summary>
/// A tiny task and world for harness tests: the agent must wait <c>seed % 3 + 1</c> times; the budget is
/// 4 iterations. Metrics: "waits" (code actions taken) and "score" (seed / 2).
/// </summary>
internal sealed class WaitTask(string name = "fake-wait") : ITaskDefinition
{
    public string Name => name;

    public TaskSeeds Seeds { get; } = new([0, 1, 2, 3, 4], TrainingFirst: 1000);

    public EpisodeSpec Episode(int seed) => new(seed);

    public TaskSetup Setup(int seed, IEnvironment environment) =>
        new(new TaskGoal(Name, seed, $"wait {seed % 3 + 1} times", IterationBudget: 4, AgentCount: 1), new WaitScorer(Name, seed, seed % 3 + 1));
}

internal sealed class WaitScorer(string task, int seed, int needed) : ITaskScorer
{
    private int _waits;

    public bool IsComplete => _waits >= needed;

    public void Record(int agentId, CodeAction action, ActionOutcome outcome, IWorldQuery world)
    {
        if (action is Wait) _waits++;
    }

    public TaskResult Finish(int iterationsUsed, IWorldQuery world) =>
        new(task, seed, IsComplete, iterationsUsed, new Dictionary<string, double>
        {
            ["success"] = IsComplete ? 1 : 0,
            ["iterations"] = iterationsUsed,
            ["waits"] = _waits,
            ["score"] = seed / 2.0,
        });
}

/// <summary>A world with nothing in it; each observation's image encodes the agent's step count.</summary>
internal sealed class EmptyEnvironmentFactory : IEnvironmentFactory
{
    private int _created;
    private int _disposed;

    public string Backend => "empty";

    public int Created => _created;

    public int Disposed => _disposed;

    public IEnvironment Create(EpisodeSpec spec)
    {
        if (spec.WorldSeed == 13) throw new InvalidOperationException("world 13 cannot be generated");
        Interlocked.Increment(ref _created);
        return new EmptyEnvironment(spec, () => Interlocked.Increment(ref _disposed));
    }

    private sealed class EmptyEnvironment(EpisodeSpec spec, Action onDispose) : IEnvironment
    {
        private int _steps;

        public EpisodeSpec Spec => spec;
        public int AgentCount => spec.AgentCount;
        public IWorldQuery World { get; } = new EmptyWorld();

        public Observation Observe(int agentId)
        {
            var pixels = new byte[4 * 4 * 3];
            Array.Fill(pixels, (byte)(_steps * 40));
            return new Observation(agentId, _steps, new Pose(new Vec3(0, 64, 0), 0, 0), new RgbImage(4, 4, pixels), [], [], [], new Dictionary<string, int>());
        }

        public ActionOutcome Step(int agentId, CodeAction action)
        {
            _steps++;
            return new ActionOutcome(true, "waited", 0, new Dictionary<string, int>(), Observe(agentId));
        }

        public void Dispose() => onDispose();
    }

    /// <summary>Ground truth of a world of air; the wait task never asks for it.</summary>
    private sealed class EmptyWorld : IWorldQuery
    {
        public BlockPos Min => new(0, 0, 0);
        public BlockPos Max => new(0, 0, 0);
        public Block GetBlock(BlockPos p) => Block.Air;
        public int SurfaceHeight(int x, int z) => 0;
        public string BiomeAt(int x, int z) => "plains";
        public IReadOnlyList<SeenEntity> Entities => [];
        public IReadOnlyDictionary<string, int>? ChestContents(BlockPos p) => null;
        public IReadOnlySet<(int X, int Z)> RevealedColumns(int agentId) => new HashSet<(int X, int Z)>();
        public void SetBlock(BlockPos p, Block block) => throw new NotSupportedException("The empty world is read-only.");
    }
}

/// <summary>Waits until the episode is done, recording an actor step for each wait. Can fail on a seed, or hang.</summary>
internal sealed class WaitingAgent(string name, int? throwOnSeed = null, bool hang = false) : IAgent
{
    private static int _created;

    public static int Created => _created;

    public string Name => name;

    public static WaitingAgent Create(string name, int? throwOnSeed = null, bool hang = false)
    {
        Interlocked.Increment(ref _created);
        return new WaitingAgent(name, throwOnSeed, hang);
    }

    public async Task RunEpisodeAsync(EpisodeContext episode, CancellationToken cancellationToken)
    {
        if (hang) await Task.Delay(Timeout.Infinite, cancellationToken);
        while (!episode.IsDone)
        {
            if (episode.Goal.Seed == throwOnSeed && episode.IterationsUsed == 1) throw new InvalidOperationException("the agent lost its way");
            Observation seen = episode.Environment.Observe(0);
            ActionOutcome outcome = await episode.StepAsync(0, new Wait(), cancellationToken);
            episode.Recorder.Record(new StepRecord(episode.IterationsUsed - 1, "actor", 0, episode.Goal.Instruction, seen.Image,
                "nothing to see", "wait", new Wait(), new StepOutcome(outcome.Success, outcome.Message, outcome.Gained), null));
        }
    }
}
