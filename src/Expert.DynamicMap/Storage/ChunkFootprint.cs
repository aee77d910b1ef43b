using Expert.DynamicMap.Observations;

namespace Expert.DynamicMap.Storage;

/// <summary>
/// Counts the chunks a batch would create, before it is applied, so a batch that would pass the
/// chunk limit is refused whole. A cheap upper bound (per observation, the chunk box spanned by the
/// eye and its blocks) decides most batches; only near the limit are the rays walked chunk by chunk.
/// </summary>
internal static class ChunkFootprint
{
    public static long UpperBound(ObservationBatch batch, double eyeHeight)
    {
        long total = 0;
        foreach (var observation in batch.Observations)
        {
            int ex = (int)Math.Floor(observation.Pose.X), ey = (int)Math.Floor(observation.Pose.Y + eyeHeight), ez = (int)Math.Floor(observation.Pose.Z);
            int minX = ex, maxX = ex, minY = ey, maxY = ey, minZ = ez, maxZ = ez;
            foreach (var block in observation.Blocks)
            {
                if (block.X < minX) minX = block.X; else if (block.X > maxX) maxX = block.X;
                if (block.Y < minY) minY = block.Y; else if (block.Y > maxY) maxY = block.Y;
                if (block.Z < minZ) minZ = block.Z; else if (block.Z > maxZ) maxZ = block.Z;
            }
            total += (long)((maxX >> 4) - (minX >> 4) + 1) * ((maxY >> 4) - (minY >> 4) + 1) * ((maxZ >> 4) - (minZ >> 4) + 1);
        }
        return total;
    }

    /// <summary>The chunks the batch's blocks and rays pass through that the store lacks.</summary>
    public static int CountNew(VoxelStore store, ObservationBatch batch, double eyeHeight)
    {
        var seen = new HashSet<ChunkKey>();
        foreach (var observation in batch.Observations)
        {
            double ex = observation.Pose.X, ey = observation.Pose.Y + eyeHeight, ez = observation.Pose.Z;
            seen.Add(ChunkKey.OfCell((int)Math.Floor(ex), (int)Math.Floor(ey), (int)Math.Floor(ez)));
            foreach (var block in observation.Blocks)
            {
                WalkChunks(seen, (block.X + 0.5) / Chunk.Size, (block.Y + 0.5) / Chunk.Size, (block.Z + 0.5) / Chunk.Size,
                    ex / Chunk.Size, ey / Chunk.Size, ez / Chunk.Size);
            }
        }
        int fresh = 0;
        foreach (var key in seen) if (!store.Contains(key)) fresh++;
        return fresh;
    }

    private static void WalkChunks(HashSet<ChunkKey> seen, double sx, double sy, double sz, double tx, double ty, double tz)
    {
        int x = (int)Math.Floor(sx), y = (int)Math.Floor(sy), z = (int)Math.Floor(sz);
        int endX = (int)Math.Floor(tx), endY = (int)Math.Floor(ty), endZ = (int)Math.Floor(tz);
        seen.Add(new ChunkKey(x, y, z));
        double dx = tx - sx, dy = ty - sy, dz = tz - sz;
        int stepX = dx > 0 ? 1 : -1, stepY = dy > 0 ? 1 : -1, stepZ = dz > 0 ? 1 : -1;
        double tDeltaX = dx != 0 ? 1.0 / Math.Abs(dx) : double.PositiveInfinity;
        double tDeltaY = dy != 0 ? 1.0 / Math.Abs(dy) : double.PositiveInfinity;
        double tDeltaZ = dz != 0 ? 1.0 / Math.Abs(dz) : double.PositiveInfinity;
        double tMaxX = dx != 0 ? (dx > 0 ? x + 1 - sx : sx - x) * tDeltaX : double.PositiveInfinity;
        double tMaxY = dy != 0 ? (dy > 0 ? y + 1 - sy : sy - y) * tDeltaY : double.PositiveInfinity;
        double tMaxZ = dz != 0 ? (dz > 0 ? z + 1 - sz : sz - z) * tDeltaZ : double.PositiveInfinity;
        int steps = Math.Abs(endX - x) + Math.Abs(endY - y) + Math.Abs(endZ - z);
        for (int k = 0; k < steps; k++)
        {
            if (tMaxX < tMaxY)
            {
                if (tMaxX < tMaxZ) { x += stepX; tMaxX += tDeltaX; } else { z += stepZ; tMaxZ += tDeltaZ; }
            }
            else if (tMaxY < tMaxZ) { y += stepY; tMaxY += tDeltaY; }
            else { z += stepZ; tMaxZ += tDeltaZ; }
            seen.Add(new ChunkKey(x, y, z));
        }
    }
}
