namespace Steve2.Pipeline.Environment;

// The observation layout is documented in OBSERVATIONS.md beside this file.

/// <summary>What one agent perceives after an action.</summary>
/// <param name="AgentId">Index of the agent in the episode (0-based).</param>
/// <param name="Iteration">Code actions taken so far by this agent.</param>
/// <param name="Pose">Feet position and view direction.</param>
/// <param name="Image">Egocentric RGB render from the eye.</param>
/// <param name="VisibleBlocks">Non-air blocks in view (line of sight, within the view distance), nearest first.</param>
/// <param name="VisibleEntities">Animals and other agents in view.</param>
/// <param name="Sounds">Sounds heard since the last observation.</param>
/// <param name="Inventory">Item name to count; no zero entries.</param>
public sealed record Observation(
    int AgentId,
    int Iteration,
    Pose Pose,
    RgbImage Image,
    IReadOnlyList<SeenBlock> VisibleBlocks,
    IReadOnlyList<SeenEntity> VisibleEntities,
    IReadOnlyList<HeardSound> Sounds,
    IReadOnlyDictionary<string, int> Inventory);

/// <summary>An RGB image, row-major from the top-left, 3 bytes a pixel (R, G, B).</summary>
public sealed record RgbImage(int Width, int Height, byte[] Pixels)
{
    public byte this[int x, int y, int channel] => Pixels[(y * Width + x) * 3 + channel];
}

public readonly record struct SeenBlock(BlockPos Position, Block Block);

/// <summary>An entity in view. <paramref name="Kind"/> is "pig", "cow", "sheep", "chicken", "villager" or "agent".</summary>
public readonly record struct SeenEntity(int Id, string Kind, Vec3 Position);

/// <summary>
/// A sound. Near sources (within the backend's near radius) come with their <paramref name="Position"/>;
/// far ones with only a unit <paramref name="Direction"/> from the listener's eye and a
/// <paramref name="Loudness"/> in [0, 1] that falls with distance.
/// </summary>
public readonly record struct HeardSound(string Source, Vec3? Position, Vec3 Direction, double Loudness);

/// <summary>The result of one code action.</summary>
/// <param name="Success">Whether the action did what it asked.</param>
/// <param name="Message">What happened, as text for the teacher ("moved 23 blocks; path blocked by water").</param>
/// <param name="BlocksMoved">Horizontal blocks walked.</param>
/// <param name="Gained">Items added to the inventory by this action (item to count).</param>
/// <param name="Observation">The agent's observation after the action.</param>
public sealed record ActionOutcome(
    bool Success,
    string Message,
    int BlocksMoved,
    IReadOnlyDictionary<string, int> Gained,
    Observation Observation);
