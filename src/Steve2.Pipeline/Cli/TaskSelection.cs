using Steve2.Pipeline.Tasks;

namespace Steve2.Pipeline.Cli;

/// <summary>Tasks and seeds on the command line, checked against the tasks' seed ranges (TASKS.md).</summary>
internal static class TaskSelection
{
    /// <summary><c>all</c>, or task names separated by commas; an unknown name throws listing the valid ones.</summary>
    public static IReadOnlyList<ITaskDefinition> Parse(string text)
    {
        if (text.Trim() == "all") return TaskCatalog.Names.Select(TaskCatalog.Get).ToList();
        List<string> names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        if (names.Count == 0) throw new ArgumentException($"--tasks is empty: give 'all' or some of {string.Join(", ", TaskCatalog.Names)}.");
        return names.Select(n => TaskCatalog.All.Contains(n)
            ? TaskCatalog.Get(n)
            : throw new ArgumentException($"unknown task '{n}'. Tasks: {string.Join(", ", TaskCatalog.All)} (or all: the first five).")).ToList();
    }

    /// <summary>Agents separated by commas; an unknown name throws listing the valid ones.</summary>
    public static IReadOnlyList<string> Agents(string text)
    {
        List<string> names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        if (names.Count == 0) throw new ArgumentException($"--agents is empty: give some of {string.Join(", ", Evaluation.AgentCatalog.Names)}.");
        return names.Select(Evaluation.AgentCatalog.Check).ToList();
    }

    /// <summary>Every seed must be one of the task's documented evaluation seeds.</summary>
    public static void RequireEvaluationSeeds(ITaskDefinition task, IReadOnlyList<int> seeds)
    {
        foreach (int seed in seeds)
        {
            if (!task.Seeds.IsEvaluationSeed(seed))
            {
                throw new ArgumentException(
                    $"seed {seed} is not an evaluation seed of {task.Name}: its evaluation seeds are {Describe(task.Seeds.Evaluation)} (TASKS.md). " +
                    "Evaluate on those; training seeds are for `steve2 record`.");
            }
        }
    }

    /// <summary>Every seed must be a training seed: training data never comes from evaluation seeds.</summary>
    public static void RequireTrainingSeeds(ITaskDefinition task, IReadOnlyList<int> seeds)
    {
        foreach (int seed in seeds)
        {
            if (task.Seeds.IsEvaluationSeed(seed))
            {
                throw new ArgumentException(
                    $"seed {seed} is an evaluation seed of {task.Name}: training data never uses evaluation seeds. Record on seeds from {task.Seeds.TrainingFirst} up.");
            }
            if (!task.Seeds.IsTrainingSeed(seed))
                throw new ArgumentException($"seed {seed} is out of {task.Name}'s training range: record on seeds from {task.Seeds.TrainingFirst} up (TASKS.md).");
        }
    }

    private static string Describe(IReadOnlyList<int> seeds) => Evaluation.EvaluationReport.SeedText(seeds.Order().ToList());
}
