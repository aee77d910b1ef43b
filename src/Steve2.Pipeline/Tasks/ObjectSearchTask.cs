using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Tasks;

/// <summary>How the object-search goal is given.</summary>
public enum SearchModality { Name, Image, Sound }

/// <summary>
/// Task 1, multimodal object search (TASKS.md). The target is of one of several kinds: an animal ("pig",
/// "cow", "sheep", "chicken": success once an agent has one in view within <see cref="SuccessDistance"/>
/// blocks), or the chest of a structure (a ruin or a desert pyramid, the paper's "find the desert pyramid,
/// find the chest inside, take all the items": success once an agent opens such a chest and takes its items).
/// The modality is seed % 3 (name, image, sound):
/// <list type="bullet">
/// <item>name: the instruction names the kind;</item>
/// <item>image: <see cref="TargetImages.RenderInWorld"/> renders a view of a target of that kind where it stands in the
/// world, with the agents' own renderer (the instruction does not name it);</item>
/// <item>sound: an animal target only; the instruction names no animal, the target animal makes its sound at the start
/// and is heard as every sound is (direction, loudness, and the position when near), and the target is chosen
/// within <see cref="SoundRange"/> of every agent, so "you will hear" holds.</item>
/// </list>
/// Kinds with a target 12..96 blocks (sound: 12..<see cref="SoundRange"/>) from the first agent make the pool
/// (chests count when their structure is in the band); the seed's random stream picks one. Where the target is
/// stays in the scorer.
/// </summary>
public sealed class ObjectSearchTask(int agentCount = 2, int iterationBudget = 40) : ITaskDefinition
{
    public const double SuccessDistance = 3.0;
    /// <summary>The chest target kinds: the chest of a ruin, or of a desert pyramid.</summary>
    public const string RuinChest = "ruin_chest", PyramidChest = "pyramid_chest";

    public static bool IsChestKind(string kind) => kind is RuinChest or PyramidChest;

    public static string ChestKindOf(Structure s) => s == Structure.Pyramid ? PyramidChest : RuinChest;
    private const double MinTargetDistance = 12, MaxTargetDistance = 96;

    /// <summary>Sound targets lie within this distance of every agent's start: the hearing radius (64) less a margin for the animal's wandering.</summary>
    public const double SoundRange = 56;

    public string Name => "object-search";
    public TaskSeeds Seeds => TaskSeedPolicy.Default;
    public int IterationBudget => iterationBudget;

    public static SearchModality ModalityOf(int seed) => (SearchModality)(seed % 3);

    public EpisodeSpec Episode(int seed) => TaskSeedPolicy.Episode(Name, seed, agentCount);

    public TaskSetup Setup(int seed, IEnvironment environment)
    {
        TaskSeedPolicy.Check(Name, seed);
        Vec3 start = environment.Observe(0).Pose.Position;
        var agents = Enumerable.Range(0, environment.AgentCount).Select(a => environment.Observe(a).Pose.Position).ToArray();
        IWorldQuery world = environment.World;
        var animals = world.Entities.Where(e => e.Kind != "agent").ToArray();
        if (animals.Length == 0)
            throw new InvalidOperationException($"World seed {environment.Spec.WorldSeed} has no animals for object search; use another seed or a larger world.");
        SearchModality modality = ModalityOf(seed);
        Random random = TaskSeedPolicy.Random(Name, seed);
        double max = modality == SearchModality.Sound ? SoundRange : MaxTargetDistance;

        // Animals in the band (sound: near enough to every agent to be heard); else the nearest kinds within reach of the rule.
        SeenEntity[] candidates = animals.Where(a => a.Position.DistanceTo(start) is >= MinTargetDistance && agents.All(p => p.DistanceTo(a.Position) <= max)).ToArray();
        if (candidates.Length == 0) candidates = animals.Where(a => agents.All(p => p.DistanceTo(a.Position) <= max)).ToArray();
        if (candidates.Length == 0 && modality == SearchModality.Sound)
        {
            // No animal within hearing: place one (a kind of this world) 24..40 blocks from the start, so "you will hear" holds.
            string placedKind = animals.Select(a => a.Kind).Distinct().Order(StringComparer.Ordinal).ElementAt(random.Next(animals.Select(a => a.Kind).Distinct().Count()));
            if (PlaceNear(world, start, agents, placedKind, random) is not SeenEntity placed)
                throw new InvalidOperationException($"World seed {environment.Spec.WorldSeed}: no animal within hearing of the agents and nowhere to place one; the sound instruction could not hold.");
            candidates = [placed];
        }
        if (candidates.Length == 0) candidates = animals;
        var structureChests = modality == SearchModality.Sound ? [] : StructureChests(world, start);
        var kinds = candidates.Select(a => a.Kind).Distinct().Order(StringComparer.Ordinal).ToList();
        if (structureChests.Count > 0) kinds.Add("chest");
        string kind = kinds[random.Next(kinds.Count)];

        if (kind == "chest")
        {
            var (structure, chests) = structureChests[random.Next(structureChests.Count)];
            kind = ChestKindOf(structure);
            var all = StructureChestsOfKind(world, structure);
            string text = structure == Structure.Pyramid
                ? "Find the desert pyramid, find the chest inside and take all the items in it."
                : "Find the ruin (broken cobblestone walls), find the chest inside and take all the items in it.";
            TaskGoal chestGoal = modality == SearchModality.Image
                ? new TaskGoal(Name, seed, $"Find the chest shown in the image (inside a {StructureName(structure)}) and take all the items in it.", iterationBudget, agentCount,
                    TargetImage: TargetImages.RenderInWorld(world, TargetImages.ChestSubject(chests)) ?? TargetImages.Render(kind))
                : new TaskGoal(Name, seed, text, iterationBudget, agentCount, TargetName: kind);
            return new TaskSetup(chestGoal, new ObjectSearchScorer(Name, seed, kind, SuccessDistance, all));
        }

        SeenEntity[] ofKind = candidates.Where(a => a.Kind == kind).OrderBy(a => a.Id).ToArray();
        TaskGoal goal;
        switch (modality)
        {
            case SearchModality.Name:
                goal = new TaskGoal(Name, seed, $"Find a {kind} and get within {SuccessDistance:0} blocks of it.", iterationBudget, agentCount, TargetName: kind);
                break;
            case SearchModality.Image:
                // A view of an animal of the kind in the world; another one than the nearest when there is one, so the scene shows what, not where.
                SeenEntity pictured = animals.Where(a => a.Kind == kind).OrderByDescending(a => a.Position.DistanceTo(start)).First();
                goal = new TaskGoal(Name, seed, $"Find the animal shown in the image and get within {SuccessDistance:0} blocks of it.", iterationBudget, agentCount,
                    TargetImage: TargetImages.RenderInWorld(world, TargetImages.AnimalSubject(pictured)) ?? TargetImages.Render(kind));
                break;
            default:
                // The target animal makes its sound now: every agent hears it (it is within SoundRange of each).
                SeenEntity source = ofKind[random.Next(ofKind.Length)];
                world.EmitSoundOf(source.Id);
                goal = new TaskGoal(Name, seed, $"Find the source of the sound \"{kind}\" you will hear and get within {SuccessDistance:0} blocks of it.", iterationBudget, agentCount,
                    TargetSound: kind);
                break;
        }
        return new TaskSetup(goal, new ObjectSearchScorer(Name, seed, kind, SuccessDistance));
    }

    /// <summary>Places an animal on dry ground 24..40 blocks from the start (16 bearings, nearest ring first), within <see cref="SoundRange"/> of every agent.</summary>
    private static SeenEntity? PlaceNear(IWorldQuery world, Vec3 start, Vec3[] agents, string kind, Random random)
    {
        int first = random.Next(16);
        for (int ring = 24; ring <= 40; ring += 8)
            for (int k = 0; k < 16; k++)
            {
                double angle = (first + k) % 16 * Math.PI / 8;
                int x = (int)Math.Floor(start.X + ring * Math.Sin(angle)), z = (int)Math.Floor(start.Z + ring * Math.Cos(angle));
                if (x < world.Min.X || x > world.Max.X || z < world.Min.Z || z > world.Max.Z) continue;
                var feet = new BlockPos(x, world.SurfaceHeight(x, z) + 1, z);
                var position = new Vec3(x + 0.5, feet.Y, z + 0.5);
                if (!agents.All(p => p.DistanceTo(position) <= SoundRange)) continue;
                if (world.PlaceAnimal(kind, feet) is int id) return new SeenEntity(id, kind, position);
            }
        return null;
    }

    /// <summary>The structures whose chests can be targets.</summary>
    public enum Structure { Ruin, Pyramid }

    public static string StructureName(Structure s) => s == Structure.Pyramid ? "desert pyramid" : "ruin";

    /// <summary>
    /// The structure a chest stands in, read from the block under it (WORLD.md: a pyramid's chest stands on its sandstone
    /// floor, a ruin's on grass); null for a cave chest or a chest a player placed.
    /// </summary>
    public static Structure? StructureOf(IWorldQuery world, BlockPos chest) => world.GetBlock(chest.Offset(0, -1, 0)) switch
    {
        Block.Sandstone => Structure.Pyramid,
        Block.Grass or Block.Dirt => Structure.Ruin,
        _ => null,
    };

    private static List<(Structure Structure, BlockPos[] Chests)> StructureChests(IWorldQuery world, Vec3 start) =>
        world.ChestPositions
            .Where(c => world.ChestContents(c) is { Count: > 0 } && StructureOf(world, c) is not null)
            .Where(c => Horizontal(c, start) is >= MinTargetDistance and <= MaxTargetDistance)
            .Select(c => (StructureOf(world, c)!.Value, new[] { c })).ToList();

    private static BlockPos[] StructureChestsOfKind(IWorldQuery world, Structure structure) =>
        world.ChestPositions.Where(c => StructureOf(world, c) == structure).ToArray();

    private static double Horizontal(BlockPos c, Vec3 p) => Math.Sqrt((c.X + 0.5 - p.X) * (c.X + 0.5 - p.X) + (c.Z + 0.5 - p.Z) * (c.Z + 0.5 - p.Z));
}
