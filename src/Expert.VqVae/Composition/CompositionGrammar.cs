using Expert.VqVae.Corpus;
using Expert.VqVae.Materials;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Composition;

/// <summary>A built composed building: its blocks, which part set each voxel, and its occupancy.</summary>
public sealed record ComposedBuilding(ComposedSpec Spec, MaterialGrid Blocks, VoxelOwner[] Owners)
{
    public OccupancyGrid Occupancy { get; } = Blocks.ToOccupancy();
}

/// <summary>
/// The grammar that turns a <see cref="ComposedSpec"/> into voxels (Composition/COMPOSITION.md gives the
/// rules with their reasons). Local frame: the body's plan is the W x D rectangle x in [-W/2, W/2-1],
/// z in [-D/2, D/2-1], the front faces +z, storey k has walls on layers 4k..4k+2 and a floor slab on
/// layer 4k+3 that overhangs the walls by one voxel (two at the top with eaves). The parts are written
/// in a fixed order (body, wing, eaves, roof, battlements, corner towers, porch, chimney, entrance,
/// windows, stairs), a later write winning. The grid is 32^3 with the building centred on x/z.
/// Every part the spec has changes the grid (so it can be measured: <see cref="PartMeasurer"/>).
/// </summary>
public static class CompositionGrammar
{
    public const int GridSize = BuildingCatalog.GridSize;
    private const int H = AttributeThresholds.StoreyHeight;

    /// <summary>Builds a spec. Validity is not required (a spec with a part taken away still builds).</summary>
    public static ComposedBuilding Build(ComposedSpec s)
    {
        var b = new MaterialShapeBuilder();
        int x0 = -s.Width / 2, x1 = s.Width / 2 - 1, z0 = -s.Depth / 2, z1 = s.Depth / 2 - 1;
        int top = s.Storeys * H; // first layer above the body
        var walls = s.Walls;
        var roofMaterial = s.RoofMaterial;
        bool flatTop = s.Roof is ComposedRoof.Flat or ComposedRoof.Dome;

        // Body: hollow storeys, each with its overhanging floor slab; the top slab is the roof itself when flat.
        for (int k = 0; k < s.Storeys; k++)
        {
            int y = k * H;
            b.Add(walls, VoxelOwner.Walls, x0, y, z0, x1, y + H - 2, z1);
            b.Remove(x0 + 1, y, z0 + 1, x1 - 1, y + H - 2, z1 - 1);
            bool last = k == s.Storeys - 1;
            b.Add(last && flatTop ? roofMaterial : walls, last && flatTop ? VoxelOwner.Roof : VoxelOwner.Walls,
                x0 - 1, y + H - 1, z0 - 1, x1 + 1, y + H - 1, z1 + 1);
        }

        // Wing (the asymmetric annex): about half the body, against its right side, standing 2 forward of the front.
        if (s.Has(PartKind.Wing))
        {
            int aw = HalfEven(s.Width), ad = HalfEven(s.Depth);
            int wx0 = x1 + 1, wx1 = x1 + aw, wz0 = z1 - ad + 3, wz1 = z1 + 2;
            for (int k = 0; k < s.Storeys; k++)
            {
                int y = k * H;
                b.Add(walls, VoxelOwner.Walls, wx0, y, wz0, wx1, y + H - 2, wz1);
                b.Remove(wx0 + 1, y, wz0 + 1, wx1 - 1, y + H - 2, wz1 - 1);
                b.Add(walls, VoxelOwner.Walls, wx0 - 1, y + H - 1, wz0 - 1, wx1 + 1, y + H - 1, wz1 + 1);
            }
        }

        // Eaves: the top slab reaches one voxel further out, in the roof's material.
        if (s.Has(PartKind.Eaves))
        {
            int y = top - 1;
            b.Add(roofMaterial, VoxelOwner.Roof, x0 - 2, y, z0 - 2, x1 + 2, y, z0 - 2);
            b.Add(roofMaterial, VoxelOwner.Roof, x0 - 2, y, z1 + 2, x1 + 2, y, z1 + 2);
            b.Add(roofMaterial, VoxelOwner.Roof, x0 - 2, y, z0 - 1, x0 - 2, y, z1 + 1);
            b.Add(roofMaterial, VoxelOwner.Roof, x1 + 2, y, z0 - 1, x1 + 2, y, z1 + 1);
        }

        // Roof above the top slab.
        int roofTop = top - 1;
        switch (s.Roof)
        {
            case ComposedRoof.Pitched:
            {
                bool spanX = s.Width <= s.Depth;
                int span = spanX ? s.Width : s.Depth;
                for (int i = 0; i < span / 2; i++)
                {
                    if (spanX) b.Add(roofMaterial, VoxelOwner.Roof, x0 + i, top + i, z0 - 1, x1 - i, top + i, z1 + 1);
                    else b.Add(roofMaterial, VoxelOwner.Roof, x0 - 1, top + i, z0 + i, x1 + 1, top + i, z1 - i);
                }
                roofTop = top + span / 2 - 1;
                break;
            }
            case ComposedRoof.Pyramidal:
            {
                int n = Math.Min(s.Width, s.Depth) / 2;
                for (int i = 0; i < n; i++) b.Add(roofMaterial, VoxelOwner.Roof, x0 + i, top + i, z0 + i, x1 - i, top + i, z1 - i);
                roofTop = top + n - 1;
                break;
            }
            case ComposedRoof.Dome:
            {
                // A solid hemisphere on the flat top, one voxel in from the walls: cell (x, j, z) of the dome
                // is set when (x + 1/2)^2 + (z + 1/2)^2 + (j + 1/2)^2 <= r^2, r = min(W, D) / 2 - 1.
                int r = Math.Min(s.Width, s.Depth) / 2 - 1;
                int j = 0;
                for (; (j + 0.5) * (j + 0.5) < r * r; j++)
                {
                    double rest = r * r - (j + 0.5) * (j + 0.5);
                    bool any = false;
                    for (int z = -r; z < r; z++)
                    {
                        int lo = int.MaxValue, hi = int.MinValue;
                        for (int x = -r; x < r; x++)
                            if ((x + 0.5) * (x + 0.5) + (z + 0.5) * (z + 0.5) <= rest) { lo = Math.Min(lo, x); hi = Math.Max(hi, x); }
                        if (lo <= hi) { b.Add(roofMaterial, VoxelOwner.Roof, lo, top + j, z, hi, top + j, z); any = true; }
                    }
                    if (!any) break;
                }
                roofTop = top + j - 1;
                break;
            }
        }

        // Battlements: merlon pairs on the rim of the top slab (counted from both ends: mirror-symmetric,
        // a merlon at every corner; the middle ones stay clear of corner towers).
        if (s.Has(PartKind.Battlements))
        {
            int rx0 = x0 - 1, rx1 = x1 + 1, rz0 = z0 - 1, rz1 = z1 + 1;
            for (int x = rx0; x <= rx1; x++)
                if (Merlon(x - rx0, rx1 - rx0 + 1))
                {
                    b.Add(walls, VoxelOwner.Walls, x, top, rz0, x, top, rz0);
                    b.Add(walls, VoxelOwner.Walls, x, top, rz1, x, top, rz1);
                }
            for (int z = rz0; z <= rz1; z++)
                if (Merlon(z - rz0, rz1 - rz0 + 1))
                {
                    b.Add(walls, VoxelOwner.Walls, rx0, top, z, rx0, top, z);
                    b.Add(walls, VoxelOwner.Walls, rx1, top, z, rx1, top, z);
                }
            roofTop = Math.Max(roofTop, top);
        }

        // Corner towers: a 3 x 3 column centred on each corner of the body, one layer above the top slab
        // and a 5 x 5 band at every slab layer (so each storey still reads as a storey).
        if (s.Has(PartKind.CornerTowers))
        {
            foreach (int cx in new[] { x0, x1 })
                foreach (int cz in new[] { z0, z1 })
                {
                    b.Add(s.Towers, VoxelOwner.Towers, cx - 1, 0, cz - 1, cx + 1, top, cz + 1);
                    for (int k = 0; k < s.Storeys; k++)
                        b.Add(s.Towers, VoxelOwner.Towers, cx - 2, k * H + H - 1, cz - 2, cx + 2, k * H + H - 1, cz + 2);
                }
            roofTop = Math.Max(roofTop, top);
        }

        // Porch: two columns two voxels in front of the front wall and a lintel joining the first slab.
        if (s.Has(PartKind.Columns))
        {
            b.Add(s.ColumnsMaterial, VoxelOwner.Columns, x0 + 1, 0, z1 + 2, x0 + 1, H - 2, z1 + 2);
            b.Add(s.ColumnsMaterial, VoxelOwner.Columns, x1 - 1, 0, z1 + 2, x1 - 1, H - 2, z1 + 2);
            b.Add(s.ColumnsMaterial, VoxelOwner.Columns, x0, H - 1, z1 + 2, x1, H - 1, z1 + 2);
        }

        // Chimney: a one-voxel flue at the back right, from the top slab to two layers above the roof.
        if (s.Has(PartKind.Chimney))
            b.Add(s.ChimneyMaterial, VoxelOwner.Chimney, x1 - 2, top, z0 + 1, x1 - 2, roofTop + 2, z0 + 1);

        // Entrance in the middle of the front wall: a door 2 wide, or a gate 4 wide flanked by two pillars.
        int ew = s.Has(PartKind.Gate) ? 4 : s.Has(PartKind.Door) ? 2 : 0;
        if (ew > 0) b.Remove(-ew / 2, 0, z1, ew / 2 - 1, H - 2, z1);
        if (s.Has(PartKind.Gate))
        {
            b.Add(walls, VoxelOwner.Walls, -ew / 2 - 1, 0, z1 + 1, -ew / 2 - 1, H - 2, z1 + 1);
            b.Add(walls, VoxelOwner.Walls, ew / 2, 0, z1 + 1, ew / 2, H - 2, z1 + 1);
        }

        // Windows: 2 x 2 glass panes in the walls of every storey (the front of the ground storey keeps
        // clear of an entrance), placed mirror-symmetrically in x.
        if (s.Has(PartKind.Windows))
        {
            for (int k = 0; k < s.Storeys; k++)
            {
                int y = k * H + 1;
                foreach (int z in k == 0 && ew > 0 ? new[] { z0 } : new[] { z0, z1 })
                {
                    b.Add(BlockMaterial.Glass, VoxelOwner.Windows, x0 + 2, y, z, x0 + 3, y + 1, z);
                    b.Add(BlockMaterial.Glass, VoxelOwner.Windows, x1 - 3, y, z, x1 - 2, y + 1, z);
                }
                int mid = (z0 + z1 + 1) / 2;
                foreach (int x in new[] { x0, x1 })
                    b.Add(BlockMaterial.Glass, VoxelOwner.Windows, x, y, mid - 1, x, y + 1, mid);
            }
        }

        // Stairs: two steps up to the entrance, as wide as it.
        if (s.Has(PartKind.Stairs) && ew > 0)
        {
            b.Add(s.StairsMaterial, VoxelOwner.Stairs, -ew / 2, 0, z1 + 1, ew / 2 - 1, 0, z1 + 2);
            b.Add(s.StairsMaterial, VoxelOwner.Stairs, -ew / 2, 1, z1 + 1, ew / 2 - 1, 1, z1 + 1);
        }

        var (grid, owners) = b.ToGrid(GridSize, s.Key);
        return new ComposedBuilding(s, grid, owners);
    }

    /// <summary>The spec without one part (a dome leaves a flat roof); used to find the part's own voxels.</summary>
    public static ComposedSpec Without(ComposedSpec s, PartKind part)
    {
        var parts = new HashSet<PartKind>(s.Parts);
        parts.Remove(part);
        var roof = part == PartKind.Dome ? ComposedRoof.Flat : s.Roof;
        return s with { Parts = parts, Roof = roof };
    }

    /// <summary>The spec with one more part (a dome replaces the roof; a gate replaces a door and vice versa).</summary>
    public static ComposedSpec With(ComposedSpec s, PartKind part)
    {
        var parts = new HashSet<PartKind>(s.Parts) { part };
        if (part == PartKind.Gate) parts.Remove(PartKind.Door);
        if (part == PartKind.Door) parts.Remove(PartKind.Gate);
        var roof = part == PartKind.Dome ? ComposedRoof.Dome : s.Roof;
        if (part == PartKind.Battlements) roof = ComposedRoof.Flat;
        if (roof != ComposedRoof.Dome) parts.Remove(PartKind.Dome);
        return s with { Parts = parts, Roof = roof };
    }

    private static bool Merlon(int i, int length) => Math.Min(i, length - 1 - i) / 2 % 2 == 0;

    private static int HalfEven(int n) => Math.Max(4, (n / 2 + 1) / 2 * 2);
}
