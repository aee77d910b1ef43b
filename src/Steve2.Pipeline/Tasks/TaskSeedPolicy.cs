using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Tasks;

/// <summary>
/// The seed rules every task shares (TASKS.md): evaluation seeds 0..<see cref="EvaluationCount"/>-1, training
/// data from <see cref="TrainingFirst"/> up; a task seed becomes a world seed through a stable hash of the task
/// name, so the five tasks never share worlds by accident and the same seed always gives the same world.
/// </summary>
public static class TaskSeedPolicy
{
    /// <summary>
    /// Evaluation seeds per task: 0..99. A hundred, so that a success rate's 95% interval is about +-0.1 and the
    /// report can tell two agents apart (with 20 it was +-0.2: Evaluation/EVALUATION.md).
    /// </summary>
    public const int EvaluationCount = 100;

    /// <summary>First seed of the training-data range.</summary>
    public const int TrainingFirst = 1_000_000;

    public static TaskSeeds Default { get; } = new(Enumerable.Range(0, EvaluationCount).ToArray(), TrainingFirst);

    /// <summary>Throws with what to do when a seed is in neither range.</summary>
    public static void Check(string task, int seed)
    {
        if (seed < 0 || (seed >= EvaluationCount && seed < TrainingFirst))
            throw new ArgumentOutOfRangeException(nameof(seed), seed,
                $"Task '{task}' takes evaluation seeds 0..{EvaluationCount - 1} or training seeds >= {TrainingFirst} (TASKS.md).");
    }

    /// <summary>The episode of a task seed (checked) in the task's own world, with <paramref name="agents"/> agents.</summary>
    public static EpisodeSpec Episode(string task, int seed, int agents)
    {
        Check(task, seed);
        return new EpisodeSpec(WorldSeed(task, seed), agents);
    }

    /// <summary>The world seed of a task seed: FNV-1a of "task|seed", as a non-negative int.</summary>
    public static int WorldSeed(string task, int seed)
    {
        uint hash = 2166136261;
        foreach (char c in $"{task}|{seed}")
        {
            hash ^= c;
            hash *= 16777619;
        }
        return (int)(hash & 0x7FFFFFFF);
    }

    /// <summary>A random stream for a task's choices on a seed (System.Random's seeded generator is stable across runs).</summary>
    public static Random Random(string task, int seed) => new(WorldSeed(task + "/setup", seed));
}
