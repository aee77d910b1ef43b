using Expert.DynamicMap.Geometry;
using Expert.DynamicMap.Observations;

namespace Expert.DynamicMap.Benchmarks;

/// <summary>
/// A deterministic rolling terrain for benchmarks and tests: grass over dirt over stone, water in the
/// hollows. An observation sees the top block and exposed side blocks of every column within a radius.
/// </summary>
public sealed class SyntheticWorld(int seed = 1)
{
    private readonly double _phaseX = seed * 0.7, _phaseZ = seed * 1.3;

    public const int WaterLevel = 62;

    public int HeightAt(int x, int z) =>
        64 + (int)Math.Round(6 * Math.Sin(x / 17.0 + _phaseX) + 4 * Math.Cos(z / 13.0 + _phaseZ) + 3 * Math.Sin((x + z) / 29.0));

    public string BlockAt(int x, int y, int z)
    {
        int h = HeightAt(x, z);
        if (y > h) return y <= WaterLevel ? "water" : "air";
        if (y == h) return h < WaterLevel ? "sand" : "grass_block";
        return y >= h - 3 ? "dirt" : "stone";
    }

    /// <summary>A pose standing on the ground at a column, looking along a yaw.</summary>
    public MapPose StandAt(int x, int z, float yaw = 0, float pitch = 20) =>
        new(x + 0.5, Math.Max(HeightAt(x, z), WaterLevel) + 1, z + 0.5, yaw, pitch);

    /// <summary>What an agent at the pose sees: surface and exposed side blocks of columns within the radius.</summary>
    public Observation Observe(string agentId, long tick, MapPose pose, int radius)
    {
        var palette = new[] { "grass_block", "dirt", "stone", "sand", "water" };
        var blocks = new List<BlockSeen>(4 * radius * radius);
        int cx = CellMath.Cell(pose.X), cz = CellMath.Cell(pose.Z);
        for (int z = cz - radius; z <= cz + radius; z++)
        for (int x = cx - radius; x <= cx + radius; x++)
        {
            int dx = x - cx, dz = z - cz;
            if (dx * dx + dz * dz > radius * radius) continue;
            int h = HeightAt(x, z);
            if (h < WaterLevel)
            {
                blocks.Add(new BlockSeen(x, WaterLevel, z, 4));
                continue;
            }
            blocks.Add(new BlockSeen(x, h, z, 0));
            // Exposed sides facing the agent: down to the lower of the neighbours toward it.
            int nx = x - Math.Sign(dx), nz = z - Math.Sign(dz);
            int low = Math.Min(HeightAt(nx, z), HeightAt(x, nz));
            for (int y = h - 1; y > low && y >= h - 4; y--) blocks.Add(new BlockSeen(x, y, z, y >= h - 3 ? 1 : 2));
        }
        return new Observation(agentId, tick, pose, palette, blocks.ToArray());
    }

    /// <summary>A walk of <paramref name="steps"/> observations, <paramref name="stride"/> blocks apart, around a square spiral.</summary>
    public IEnumerable<Observation> Walk(string agentId, int startX, int startZ, int steps, int stride, int radius, long firstTick = 0)
    {
        int x = startX, z = startZ, leg = 1, direction = 0, done = 0;
        (int Dx, int Dz)[] directions = [(1, 0), (0, 1), (-1, 0), (0, -1)];
        long tick = firstTick;
        while (done < steps)
        {
            for (int twice = 0; twice < 2 && done < steps; twice++)
            {
                for (int i = 0; i < leg && done < steps; i++)
                {
                    var (dx, dz) = directions[direction];
                    x += dx * stride;
                    z += dz * stride;
                    float yaw = dx == 1 ? 270 : dx == -1 ? 90 : dz == 1 ? 0 : 180;
                    yield return Observe(agentId, tick, StandAt(x, z, yaw), radius);
                    tick += 20;
                    done++;
                }
                direction = (direction + 1) % 4;
            }
            leg++;
        }
    }
}
