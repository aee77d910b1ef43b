using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.World;

/// <summary>Trees, cacti, desert pyramids, ruins and cave chests (WORLD.md).</summary>
internal static class StructureBuilder
{
    public static void PlantTrees(VoxelWorld world, SplitMix64 rng)
    {
        // A jittered grid: one candidate per cell; forests are dense, plains sparse.
        const int cell = 5;
        for (int cx = world.MinX + 3; cx <= world.MaxX - 3 - cell; cx += cell)
        for (int cz = world.MinZ + 3; cz <= world.MaxZ - 3 - cell; cz += cell)
        {
            int x = cx + rng.Next(0, cell), z = cz + rng.Next(0, cell);
            double roll = rng.NextDouble();
            var biome = world.BiomeAt(x, z);
            int y = world.SurfaceHeight(x, z);
            var ground = world.Get(x, y, z);
            if (biome == Biome.Forest && roll < 0.75 && ground == Block.Grass) Tree(world, x, y + 1, z, rng);
            else if (biome == Biome.Plains && roll < 0.06 && ground == Block.Grass) Tree(world, x, y + 1, z, rng);
            else if (biome == Biome.Desert && roll < 0.05 && ground == Block.Sand)
            {
                int height = rng.Next(1, 4);
                for (int i = 0; i < height; i++) world.Set(x, y + 1 + i, z, Block.Cactus);
            }
        }
    }

    private static void Tree(VoxelWorld world, int x, int baseY, int z, SplitMix64 rng)
    {
        int trunk = rng.Next(4, 7);
        if (baseY + trunk + 2 >= world.SizeY) return;
        int top = baseY + trunk - 1;
        for (int dy = -2; dy <= 1; dy++)
        {
            int radius = dy <= -1 ? 2 : 1;
            for (int dx = -radius; dx <= radius; dx++)
            for (int dz = -radius; dz <= radius; dz++)
            {
                if (radius == 2 && Math.Abs(dx) == 2 && Math.Abs(dz) == 2 && rng.Chance(0.6)) continue;
                int lx = x + dx, ly = top + dy, lz = z + dz;
                if (world.Get(lx, ly, lz) == Block.Air) world.Set(lx, ly, lz, Block.OakLeaves);
            }
        }
        for (int y = baseY; y <= top; y++) world.Set(x, y, z, Block.OakLog);
        world.Set(x, top + 1, z, Block.OakLeaves);
    }

    public static void BuildStructures(VoxelWorld world, SplitMix64 rng)
    {
        BuildPyramids(world, rng);
        BuildRuins(world, rng);
        PlaceCaveChests(world, rng);
    }

    /// <summary>Pyramids: on a 48-block grid, wherever an 11 x 11 footprint is all desert and nearly flat.</summary>
    private static void BuildPyramids(VoxelWorld world, SplitMix64 rng)
    {
        const int half = 5, grid = 48;
        for (int gx = world.MinX + 8; gx <= world.MaxX - 8; gx += grid)
        for (int gz = world.MinZ + 8; gz <= world.MaxZ - 8; gz += grid)
        {
            bool built = false;
            for (int attempt = 0; attempt < 8 && !built; attempt++)
            {
                int cx = gx + rng.Next(0, grid), cz = gz + rng.Next(0, grid);
                if (cx - half - 1 < world.MinX || cx + half + 1 > world.MaxX || cz - half - 1 < world.MinZ || cz + half + 1 > world.MaxZ) continue;
                int minH = int.MaxValue, maxH = int.MinValue;
                bool desert = true;
                for (int dx = -half; dx <= half && desert; dx++)
                for (int dz = -half; dz <= half; dz++)
                {
                    if (world.BiomeAt(cx + dx, cz + dz) != Biome.Desert) { desert = false; break; }
                    int h = world.SurfaceHeight(cx + dx, cz + dz);
                    minH = Math.Min(minH, h);
                    maxH = Math.Max(maxH, h);
                }
                if (!desert || maxH - minH > 3 || minH + half + 3 >= world.SizeY) continue;
                Pyramid(world, cx, minH, cz, half, rng);
                built = true;
            }
        }
    }

    private static void Pyramid(VoxelWorld world, int cx, int floorY, int cz, int half, SplitMix64 rng)
    {
        // Layer k (k = 0 at the floor) is a square of half-width half - k; the inside is hollow.
        for (int k = 0; k <= half; k++)
        {
            int r = half - k, y = floorY + k;
            for (int dx = -r; dx <= r; dx++)
            for (int dz = -r; dz <= r; dz++)
            {
                bool shell = k == 0 || Math.Abs(dx) == r || Math.Abs(dz) == r;
                world.Set(cx + dx, y, cz + dz, shell ? Block.Sandstone : Block.Air);
            }
        }
        // Fill gaps below the floor so it does not float over lower sand.
        for (int dx = -half; dx <= half; dx++)
        for (int dz = -half; dz <= half; dz++)
        for (int y = floorY - 1; y > 0 && world.Get(cx + dx, y, cz + dz) == Block.Air; y--)
            world.Set(cx + dx, y, cz + dz, Block.Sandstone);
        // A door on the south side: two free cells through the first wall, a free head cell behind it,
        // and whatever sand was outside the door cleared.
        world.Set(cx, floorY + 1, cz + half - 1, Block.Air);
        world.Set(cx, floorY + 2, cz + half - 1, Block.Air);
        world.Set(cx, floorY + 2, cz + half - 2, Block.Air);
        for (int dy = 1; dy <= 3; dy++)
            if (world.Get(cx, floorY + dy, cz + half) is Block.Sand or Block.Sandstone or Block.Cactus) world.Set(cx, floorY + dy, cz + half, Block.Air);
        world.PlaceChest(new BlockPos(cx, floorY + 1, cz), LootTables.Pyramid(rng));
    }

    /// <summary>Ruins: broken cobblestone walls around a chest, two to four per 256 x 256 on plains and forest.</summary>
    private static void BuildRuins(VoxelWorld world, SplitMix64 rng)
    {
        int wanted = Math.Max(1, world.Options.SizeX * world.Options.SizeZ / 20000);
        int built = 0;
        for (int attempt = 0; attempt < wanted * 60 && built < wanted; attempt++)
        {
            int cx = rng.Next(world.MinX + 6, world.MaxX - 5), cz = rng.Next(world.MinZ + 6, world.MaxZ - 5);
            if (world.BiomeAt(cx, cz) is not (Biome.Plains or Biome.Forest)) continue;
            int y = world.SurfaceHeight(cx, cz);
            if (world.Get(cx, y, cz) != Block.Grass) continue;
            for (int dx = -3; dx <= 3; dx++)
            for (int dz = -3; dz <= 3; dz++)
            {
                bool wall = Math.Abs(dx) == 3 || Math.Abs(dz) == 3;
                int h = world.SurfaceHeight(cx + dx, cz + dz);
                // Leaves and trunks inside the ruin are cleared.
                for (int yy = h + 1; yy <= h + 4; yy++)
                    if (world.Get(cx + dx, yy, cz + dz) is Block.OakLog or Block.OakLeaves) world.Set(cx + dx, yy, cz + dz, Block.Air);
                if (!wall || dz == 3 && dx == 0) continue;
                int height = rng.Next(0, 4);
                for (int k = 1; k <= height; k++) world.Set(cx + dx, h + k, cz + dz, Block.Cobblestone);
            }
            world.PlaceChest(new BlockPos(cx, y + 1, cz), LootTables.Ruin(rng));
            built++;
        }
    }

    /// <summary>Cave chests: on cave floors (air above stone, far below the surface).</summary>
    private static void PlaceCaveChests(VoxelWorld world, SplitMix64 rng)
    {
        int wanted = Math.Max(1, world.Options.SizeX * world.Options.SizeZ / 12000);
        int placed = 0;
        for (int attempt = 0; attempt < wanted * 400 && placed < wanted; attempt++)
        {
            int x = rng.Next(world.MinX + 1, world.MaxX), z = rng.Next(world.MinZ + 1, world.MaxZ);
            int surface = world.SurfaceHeight(x, z);
            for (int y = 2; y < surface - 6; y++)
            {
                if (world.Get(x, y, z) == Block.Air && world.Get(x, y + 1, z) == Block.Air && world.Get(x, y - 1, z) == Block.Stone)
                {
                    world.PlaceChest(new BlockPos(x, y, z), LootTables.Cave(rng));
                    placed++;
                    break;
                }
            }
        }
    }
}
