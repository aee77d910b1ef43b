using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Experts;

namespace Steve2.Pipeline.Teacher.Planning;

/// <summary>
/// One step of a build plan in world coordinates: place the blocks of the box from <paramref name="Position"/> to
/// <see cref="End"/> (a line, a layer or a box: one building action), or remove them. Without <paramref name="To"/>
/// the step is one block. <paramref name="Block"/> is the block the step places when the imagined building has
/// blocks (every cell of the box the same block; an item name such as "stone"); null when the plan is built with the
/// goal's one material (an occupancy-only answer, the teacher's own guess, a removal).
/// </summary>
public sealed record PlanStep(int Index, BlockPos Position, PlannedBlockAction Action, BlockPos? To = null, string? Block = null)
{
    /// <summary>The box's far corner (the position itself for one block).</summary>
    public BlockPos End => To ?? Position;

    /// <summary>The cells of the box.</summary>
    public IEnumerable<BlockPos> Cells()
    {
        for (int y = Math.Min(Position.Y, End.Y); y <= Math.Max(Position.Y, End.Y); y++)
            for (int z = Math.Min(Position.Z, End.Z); z <= Math.Max(Position.Z, End.Z); z++)
                for (int x = Math.Min(Position.X, End.X); x <= Math.Max(Position.X, End.X); x++)
                    yield return new BlockPos(x, y, z);
    }
}
