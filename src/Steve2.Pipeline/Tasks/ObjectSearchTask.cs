using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Tasks;

/// <summary>How the object-search goal is given.</summary>
public enum SearchModality { Name, Image, Sound }

/// <summary>
/// Task 1, multimodal object search: find an animal of a kind given by name, by an image of it, or by the
/// sound it makes (which may come from outside the view). Success: an agent within
/// <see cref="SuccessDistance"/> blocks of one with it in view. The modality is seed % 3 (name, image,
/// sound). The target kind is one that lives 12..96 blocks from the first agent (the farthest kind
/// wins ties), so the agents must search for it.
/// </summary>
public sealed class ObjectSearchTask(int agentCount = 2, int iterationBudget = 40) : ITaskDefinition
{
    public const double SuccessDistance = 3.0;
    private const double MinTargetDistance = 12, MaxTargetDistance = 96;

    public string Name => "object-search";
    public TaskSeeds Seeds => TaskSeedPolicy.Default;
    public int IterationBudget => iterationBudget;

    public static SearchModality ModalityOf(int seed) => (SearchModality)(seed % 3);

    public EpisodeSpec Episode(int seed) => TaskSeedPolicy.Episode(Name, seed, agentCount);

    public TaskSetup Setup(int seed, IEnvironment environment)
    {
        TaskSeedPolicy.Check(Name, seed);
        Vec3 start = environment.Observe(0).Pose.Position;
        var animals = environment.World.Entities.Where(e => e.Kind != "agent").ToArray();
        if (animals.Length == 0)
            throw new InvalidOperationException($"World seed {environment.Spec.WorldSeed} has no animals for object search; use another seed or a larger world.");
        // Kinds with an animal in the band; otherwise every kind present.
        var inBand = animals.Where(a => a.Position.DistanceTo(start) is >= MinTargetDistance and <= MaxTargetDistance).ToArray();
        var pool = (inBand.Length > 0 ? inBand : animals).Select(a => a.Kind).Distinct().OrderBy(k => k, StringComparer.Ordinal).ToArray();
        string kind = pool[TaskSeedPolicy.Random(Name, seed).Next(pool.Length)];
        SearchModality modality = ModalityOf(seed);
        TaskGoal goal = modality switch
        {
            SearchModality.Name => new TaskGoal(Name, seed, $"Find a {kind} and get within {SuccessDistance:0} blocks of it.", iterationBudget, agentCount, TargetName: kind),
            SearchModality.Image => new TaskGoal(Name, seed, $"Find the animal shown in the image and get within {SuccessDistance:0} blocks of it.", iterationBudget, agentCount,
                TargetImage: TargetImages.Render(kind)),
            _ => new TaskGoal(Name, seed, $"Find the source of the sound \"{kind}\" you will hear and get within {SuccessDistance:0} blocks of it.", iterationBudget, agentCount,
                TargetSound: kind),
        };
        return new TaskSetup(goal, new ObjectSearchScorer(Name, seed, kind, SuccessDistance));
    }
}
