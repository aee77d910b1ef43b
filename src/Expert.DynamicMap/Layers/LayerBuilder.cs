using System.Runtime.InteropServices;
using Expert.DynamicMap.Episodes;
using Expert.DynamicMap.Frontiers;
using Expert.DynamicMap.Geometry;
using Expert.DynamicMap.Storage;

namespace Expert.DynamicMap.Layers;

/// <summary>
/// Derives the 2D layers of a region from the voxel store, one chunk column at a time, scanning each
/// column from the top of the range down and skipping absent chunks 16 cells at a time.
/// </summary>
internal static class LayerBuilder
{
    public const short NoHeight = short.MinValue;

    public static MapLayers Build(MapState state, LayerRequest request)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The packed layer format is little-endian.");
        var region = request.Region;
        var layers = request.Layers is { Count: > 0 } ? request.Layers : LayerRequest.AllLayers;
        int columns = region.Columns;

        bool want(MapLayer l) => layers.Contains(l);
        // One byte array per requested layer, written through typed views (little-endian); nothing for the rest.
        byte[]? Plane(MapLayer l) => want(l) ? new byte[columns * LayerPlane.ElementSize(LayerPlane.ElementTypeOf(l))] : null;
        var outputs = new ScanOutputs(Plane(MapLayer.Height), Plane(MapLayer.SurfaceBlock), Plane(MapLayer.Explored),
            Plane(MapLayer.Walkable), Plane(MapLayer.Staleness), Plane(MapLayer.Frontier));
        if (outputs.Height is not null) MemoryMarshal.Cast<byte, short>(outputs.Height.AsSpan()).Fill(NoHeight);
        if (outputs.Staleness is not null) MemoryMarshal.Cast<byte, int>(outputs.Staleness.AsSpan()).Fill(-1);
        if (outputs.Any) ScanColumns(state, region, outputs);

        byte[]? visits = Plane(MapLayer.Visits), lastVisitAge = Plane(MapLayer.LastVisitAge);
        if (visits is not null || lastVisitAge is not null) FillVisits(state, region, request.AgentId, visits, lastVisitAge);

        var planes = new List<LayerPlane>(layers.Count);
        foreach (var layer in layers)
        {
            byte[] data = layer switch
            {
                MapLayer.Height => outputs.Height!,
                MapLayer.SurfaceBlock => outputs.Surface!,
                MapLayer.Explored => outputs.Explored!,
                MapLayer.Walkable => outputs.Walkable!,
                MapLayer.Visits => visits!,
                MapLayer.LastVisitAge => lastVisitAge!,
                MapLayer.Staleness => outputs.Staleness!,
                MapLayer.Frontier => outputs.Frontier!,
                _ => throw new ArgumentOutOfRangeException(nameof(request), layer, "Unknown layer."),
            };
            planes.Add(new LayerPlane(layer, LayerPlane.ElementTypeOf(layer), data));
        }
        return new MapLayers(region, state.Now, planes, state.Palette.Names.ToArray());
    }

    private sealed record ScanOutputs(byte[]? Height, byte[]? Surface, byte[]? Explored, byte[]? Walkable, byte[]? Staleness, byte[]? Frontier)
    {
        public bool Any => Height is not null || Surface is not null || Explored is not null || Walkable is not null || Staleness is not null || Frontier is not null;
    }

    private static void ScanColumns(MapState state, MapRegion region, ScanOutputs outputs)
    {
        int czMin = region.Z0 >> Chunk.Shift, czMax = (region.Z1 - 1) >> Chunk.Shift;
        // Rows of chunk columns write disjoint columns: large regions are scanned in parallel (the store is
        // only read here, under the episode's lock).
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = region.Columns >= 128 * 128 ? Environment.ProcessorCount : 1 };
        Parallel.For(czMin, czMax + 1, parallel, cz => ScanRow(state, region, outputs, cz));
    }

    /// <summary>Scans the columns of one row of chunk columns (chunk z = <paramref name="cz"/>).</summary>
    private static void ScanRow(MapState state, MapRegion region, ScanOutputs outputs, int cz)
    {
        bool wantHeight = outputs.Height is not null, wantSurface = outputs.Surface is not null, wantExplored = outputs.Explored is not null;
        bool wantWalkable = outputs.Walkable is not null, wantStaleness = outputs.Staleness is not null, wantFrontier = outputs.Frontier is not null;
        Span<short> height = wantHeight ? MemoryMarshal.Cast<byte, short>(outputs.Height.AsSpan()) : default;
        Span<ushort> surface = wantSurface ? MemoryMarshal.Cast<byte, ushort>(outputs.Surface.AsSpan()) : default;
        Span<int> staleness = wantStaleness ? MemoryMarshal.Cast<byte, int>(outputs.Staleness.AsSpan()) : default;
        byte[] explored = outputs.Explored ?? [], walkable = outputs.Walkable ?? [], frontier = outputs.Frontier ?? [];
        // Walkable is also needed to find frontiers; without either, the scan stops at the top block.
        bool needStand = wantWalkable || wantFrontier;
        // Stopping at the first standing place would skip cells that frontiers or a partial bottom chunk's staleness need.
        bool mayStop = !wantFrontier && !(wantStaleness && (region.YMin & Chunk.Mask) != 0);
        var store = state.Store;
        var kinds = state.Palette.Kinds;
        long[] ticks = state.Clock.Ticks;
        long now = state.Now;
        int yMin = region.YMin, yMax = region.YMax;
        int yTop = yMax + 1; // one cell above the range: the head room of a floor at yMax - 1
        int cyMin = yMin >> Chunk.Shift, cyMax = yTop >> Chunk.Shift;
        var stack = new Chunk?[cyMax - cyMin + 1];
        var reader = new CellReader(store);

        for (int cx = region.X0 >> Chunk.Shift; cx <= (region.X1 - 1) >> Chunk.Shift; cx++)
        {
            int highest = -1, lowest = int.MaxValue;
            for (int cy = cyMin; cy <= cyMax; cy++)
            {
                var found = store.TryGet(new ChunkKey(cx, cy, cz));
                stack[cy - cyMin] = found;
                if (found is null || found.Known == 0) continue;
                highest = cy;
                if (lowest == int.MaxValue) lowest = cy;
            }
            if (highest < 0) continue;

            int xStart = Math.Max(region.X0, cx << Chunk.Shift), xEnd = Math.Min(region.X1, (cx + 1) << Chunk.Shift);
            int zStart = Math.Max(region.Z0, cz << Chunk.Shift), zEnd = Math.Min(region.Z1, (cz + 1) << Chunk.Shift);
            for (int z = zStart; z < zEnd; z++)
            for (int x = xStart; x < xEnd; x++)
            {
                int column = (z - region.Z0) * region.Width + (x - region.X0);
                int columnIndex = ((z & Chunk.Mask) << 4) | (x & Chunk.Mask);
                BlockKind above1 = BlockKind.Unknown, above2 = BlockKind.Unknown;
                bool foundTop = false, stand = false, seen = false, edge = false, done = false;
                int latestStamp = 0;
                long latestTick = long.MinValue;

                // Staleness from the per-column summaries of chunks wholly inside the range; cells of the others below.
                if (wantStaleness)
                {
                    for (int cy = lowest; cy <= highest; cy++)
                    {
                        var chunk = stack[cy - cyMin];
                        if (chunk is null || (cy << Chunk.Shift) < yMin || (cy << Chunk.Shift) + Chunk.Mask > yMax) continue;
                        int stamp = chunk.ColumnLatest[columnIndex];
                        if (stamp != 0 && (ticks[stamp] > latestTick)) { latestStamp = stamp; latestTick = ticks[stamp]; }
                    }
                }

                for (int cy = highest; cy >= lowest && !done; cy--)
                {
                    var chunk = stack[cy - cyMin];
                    if (chunk is null)
                    {
                        above1 = above2 = BlockKind.Unknown;
                        continue;
                    }
                    int baseY = cy << Chunk.Shift;
                    int top = chunk.ColumnTop[columnIndex];
                    if (top == 0)
                    {
                        above1 = above2 = BlockKind.Unknown;
                        continue;
                    }
                    bool partial = wantStaleness && (baseY < yMin || baseY + Chunk.Mask > yMax);
                    var blocks = chunk.Blocks;
                    // Only the known part of this column: unknown cells above and below change nothing but the head room.
                    int yHigh = Math.Min(yTop, baseY + top - 1), yLow = Math.Max(yMin, baseY + chunk.ColumnBottom[columnIndex]);
                    if (yHigh < Math.Min(yTop, baseY + Chunk.Mask)) above1 = above2 = BlockKind.Unknown;
                    for (int y = yHigh; y >= yLow; y--)
                    {
                        int i = ((y & Chunk.Mask) << 8) | columnIndex;
                        ushort block = blocks[i];
                        BlockKind kind = kinds[block];
                        if (block != BlockPalette.UnknownId && y <= yMax)
                        {
                            seen = true;
                            if (!foundTop && kind is BlockKind.Solid or BlockKind.Liquid)
                            {
                                foundTop = true;
                                if (wantHeight) height[column] = (short)y;
                                if (wantSurface) surface[column] = block;
                            }
                            if (kind == BlockKind.Solid && MapWalkability.IsOpen(above1) && above2 != BlockKind.Solid && y + 1 <= yMax)
                            {
                                stand = true;
                                if (wantFrontier && !edge && MapWalkability.BordersUnknown(ref reader, x, y + 1, z)) edge = true;
                            }
                            if (partial)
                            {
                                int stamp = chunk.Stamps[i];
                                if (stamp != latestStamp && ticks[stamp] > latestTick) { latestStamp = stamp; latestTick = ticks[stamp]; }
                            }
                            // Below the first standing place nothing changes height, surface, explored or walkable.
                            if (mayStop && !partial && foundTop && (stand || !needStand)) { done = true; break; }
                        }
                        above2 = above1;
                        above1 = kind;
                    }
                    if (yLow > baseY) above1 = above2 = BlockKind.Unknown;
                }
                if (seen && wantExplored) explored[column] = 1;
                if (stand && wantWalkable) walkable[column] = 1;
                if (edge) frontier[column] = 1;
                if (latestStamp != 0 && wantStaleness) staleness[column] = (int)Math.Clamp(now - latestTick, 0, int.MaxValue);
            }
        }
    }

    private static void FillVisits(MapState state, MapRegion region, string? agentId, byte[]? visitBytes, byte[]? ageBytes)
    {
        Span<ushort> visits = visitBytes is null ? new ushort[region.Columns] : MemoryMarshal.Cast<byte, ushort>(visitBytes.AsSpan());
        Span<int> lastVisitAge = ageBytes is null ? default : MemoryMarshal.Cast<byte, int>(ageBytes.AsSpan());
        long now = state.Now;
        if (ageBytes is not null) lastVisitAge.Fill(-1);
        var latest = new long[visits.Length];
        Array.Fill(latest, long.MinValue);
        foreach (var agent in state.Agents.All)
        {
            if (!string.IsNullOrEmpty(agentId) && agent.Id != agentId) continue;
            foreach (var (key, visit) in agent.Visits)
            {
                var (x, y, z) = CellMath.Unpack(key);
                if (!region.ContainsCell(x, y, z)) continue;
                int column = (z - region.Z0) * region.Width + (x - region.X0);
                visits[column] = (ushort)Math.Min(ushort.MaxValue, visits[column] + visit.Count);
                if (visit.LastTick > latest[column]) latest[column] = visit.LastTick;
            }
        }
        if (ageBytes is null) return;
        for (int i = 0; i < latest.Length; i++)
            if (latest[i] != long.MinValue) lastVisitAge[i] = (int)Math.Clamp(now - latest[i], 0, int.MaxValue);
    }
}
