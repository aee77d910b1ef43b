using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Teacher.Decisions;

/// <summary>An actor's facts: the agent's pose, its reach, its items, and where it would stand to place or mine.</summary>
/// <param name="Pose">The agent's exact pose (feet position, yaw, pitch).</param>
/// <param name="Reach">The world's reach from the eye to a block's nearest point.</param>
/// <param name="Inventory">The agent's items.</param>
/// <param name="Stand">
/// For <c>place</c> and <c>mine</c>: the standing place nearest the agent from which the block is in reach, on the
/// build site's level, outside the footprint of the building and not set aside; null for other directives or
/// when nowhere fits.
/// </param>
public sealed record ActorFacts(
    Pose Pose,
    double Reach,
    IReadOnlyDictionary<string, int> Inventory,
    BlockPos? Stand) : RoleFacts;
