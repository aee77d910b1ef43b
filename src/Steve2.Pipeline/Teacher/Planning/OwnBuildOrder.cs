using Steve2.Pipeline.Experts;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Teacher.Planning;

/// <summary>
/// The teacher's own build order (without the creation expert): layer by layer from the ground up; within
/// a layer, first the blocks standing on a block below, then outward through side neighbours
/// (breadth-first), so every block has a neighbour to be placed against. Blocks that float are left last.
/// </summary>
public static class OwnBuildOrder
{
    public static IReadOnlyList<PlannedBlock> Plan(VoxelGrid grid)
    {
        var order = new List<PlannedBlock>();
        var placed = new HashSet<(int, int, int)>();
        var floating = new List<PlannedBlock>();
        for (int y = 0; y < grid.SizeY; y++)
        {
            var queue = new Queue<(int X, int Z)>();
            var layer = new HashSet<(int, int)>();
            for (int z = 0; z < grid.SizeZ; z++)
                for (int x = 0; x < grid.SizeX; x++)
                    if (grid[x, y, z])
                    {
                        layer.Add((x, z));
                        if (y == 0 || placed.Contains((x, y - 1, z))) queue.Enqueue((x, z));
                    }
            var visited = new HashSet<(int, int)>(queue);
            while (queue.Count > 0)
            {
                var (x, z) = queue.Dequeue();
                order.Add(new PlannedBlock(x, y, z, PlannedBlockAction.Place));
                placed.Add((x, y, z));
                foreach (var n in new[] { (x + 1, z), (x - 1, z), (x, z + 1), (x, z - 1) })
                    if (layer.Contains(n) && visited.Add(n)) queue.Enqueue(n);
            }
            foreach (var cell in layer.Where(c => !visited.Contains(c)).OrderBy(c => c))
                floating.Add(new PlannedBlock(cell.Item1, y, cell.Item2, PlannedBlockAction.Place));
        }
        order.AddRange(floating);
        return order;
    }
}
