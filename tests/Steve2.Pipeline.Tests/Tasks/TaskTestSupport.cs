using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Tests.Tasks;

/// <summary>Hand-made observations and outcomes for scorer tests.</summary>
internal static class TaskTestSupport
{
    public static Observation Observation(int agent, Vec3 position, IReadOnlyList<SeenBlock>? blocks = null, IReadOnlyList<SeenEntity>? entities = null,
        IReadOnlyDictionary<string, int>? inventory = null) =>
        new(agent, 0, new Pose(position, 0, 0), new RgbImage(1, 1, new byte[3]), blocks ?? [], entities ?? [], [], inventory ?? new Dictionary<string, int>());

    public static ActionOutcome Outcome(Observation o, bool success = true, int moved = 0, IReadOnlyDictionary<string, int>? gained = null) =>
        new(success, "test", moved, gained ?? new Dictionary<string, int>(), o);
}
