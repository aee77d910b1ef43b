using System.Runtime.InteropServices;
using Expert.DynamicMap.Geometry;

namespace Expert.DynamicMap.Layers;

/// <summary>The layers GetMap returns. Values and element types are fixed (MAP_LAYOUT.md); the proto enum uses the same numbers.</summary>
public enum MapLayer
{
    /// <summary>int16: y of the highest solid or liquid block in the vertical range; -32768 when none is known.</summary>
    Height = 1,
    /// <summary>uint16: palette id of that block (0: none); names in <see cref="MapLayers.Palette"/>.</summary>
    SurfaceBlock = 2,
    /// <summary>uint8: 1 when any cell of the column's range is known (seen as a block or as air).</summary>
    Explored = 3,
    /// <summary>uint8: 1 when the column has a standing place in the range (solid floor, open feet cell, head not solid).</summary>
    Walkable = 4,
    /// <summary>uint16: observations reported with feet in the column and range (all agents, or the requested one); saturating.</summary>
    Visits = 5,
    /// <summary>int32: ticks since the latest such visit; -1 never visited.</summary>
    LastVisitAge = 6,
    /// <summary>int32: ticks since any cell of the column's range was last seen; -1 never seen.</summary>
    Staleness = 7,
    /// <summary>uint8: 1 when the column holds a frontier cell (walkable, next to an unknown cell) in the range.</summary>
    Frontier = 8,
}

public enum LayerElementType
{
    UInt8 = 1,
    Int16 = 2,
    UInt16 = 3,
    Int32 = 4,
}

/// <summary>One layer: Width × Depth elements, row-major (z rows, x within a row), little-endian.</summary>
public sealed record LayerPlane(MapLayer Layer, LayerElementType ElementType, byte[] Data)
{
    public static LayerElementType ElementTypeOf(MapLayer layer) => layer switch
    {
        MapLayer.Height => LayerElementType.Int16,
        MapLayer.SurfaceBlock => LayerElementType.UInt16,
        MapLayer.Explored or MapLayer.Walkable or MapLayer.Frontier => LayerElementType.UInt8,
        MapLayer.Visits => LayerElementType.UInt16,
        MapLayer.LastVisitAge or MapLayer.Staleness => LayerElementType.Int32,
        _ => throw new ArgumentOutOfRangeException(nameof(layer), layer, "Unknown layer."),
    };

    public static int ElementSize(LayerElementType type) => type switch
    {
        LayerElementType.UInt8 => 1,
        LayerElementType.Int16 or LayerElementType.UInt16 => 2,
        _ => 4,
    };
}

/// <summary>What GetMap asks for: a region (columns and a vertical range), which layers (all when empty), and optionally one agent for the visit layers.</summary>
public sealed record LayerRequest(MapRegion Region, IReadOnlyList<MapLayer>? Layers = null, string? AgentId = null)
{
    public static IReadOnlyList<MapLayer> AllLayers { get; } = Enum.GetValues<MapLayer>();
}

/// <summary>GetMap's answer: planes in the order requested, and the palette that SurfaceBlock ids index.</summary>
public sealed record MapLayers(MapRegion Region, long Tick, IReadOnlyList<LayerPlane> Planes, IReadOnlyList<string> Palette)
{
    public LayerPlane Plane(MapLayer layer) =>
        Planes.FirstOrDefault(p => p.Layer == layer) ?? throw new KeyNotFoundException($"Layer {layer} was not requested.");

    /// <summary>The value of a layer at a world column, widened to long (for tests and tools).</summary>
    public long ValueAt(MapLayer layer, int x, int z)
    {
        var plane = Plane(layer);
        if (!Region.ContainsColumn(x, z)) throw new ArgumentOutOfRangeException(nameof(x), $"Column ({x}, {z}) is outside the region.");
        int index = (z - Region.Z0) * Region.Width + (x - Region.X0);
        return plane.ElementType switch
        {
            LayerElementType.UInt8 => plane.Data[index],
            LayerElementType.Int16 => MemoryMarshal.Cast<byte, short>(plane.Data)[index],
            LayerElementType.UInt16 => MemoryMarshal.Cast<byte, ushort>(plane.Data)[index],
            _ => MemoryMarshal.Cast<byte, int>(plane.Data)[index],
        };
    }
}
