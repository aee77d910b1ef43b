using Google.Protobuf;
using Steve2.Expert.V1;
using Steve2.Pipeline.Environment;
using WireObservation = Steve2.Expert.V1.Observation;
using WirePose = Steve2.Expert.V1.Pose;
using WireGrid = Steve2.Expert.V1.OccupancyGrid;
using Expert.VqVae.Materials;
using MaterialGrid = Expert.VqVae.Voxels.MaterialGrid;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Experts;

/// <summary>
/// Between the pipeline's records and the experts' wire messages. The world and the dynamic map share
/// one frame (x east, y up, z south; yaw 0 toward +z), so poses and positions pass unchanged.
/// </summary>
public static class ExpertWireConversions
{
    /// <summary>The map's agent id of a pipeline agent ("agent-0").</summary>
    public static string AgentId(int agentId) => $"agent-{agentId}";

    /// <summary>
    /// One agent's observation as the map's: pose, every visible block (packed, block names as item ids
    /// such as "oak_log", grass and snow as Minecraft's block ids: <see cref="MapBlockName"/>), entities by kind, sounds with a position when near or a direction when far.
    /// </summary>
    public static WireObservation ToWire(Environment.Observation observation, long tick)
    {
        var wire = new WireObservation
        {
            AgentId = AgentId(observation.AgentId),
            Tick = tick,
            Pose = new WirePose
            {
                X = observation.Pose.Position.X,
                Y = observation.Pose.Position.Y,
                Z = observation.Pose.Position.Z,
                Yaw = (float)observation.Pose.Yaw,
                Pitch = (float)Math.Clamp(observation.Pose.Pitch, -90, 90),
            },
        };
        if (observation.VisibleBlocks.Count > 0) wire.PackedBlocks = Pack(observation.VisibleBlocks);
        foreach (SeenEntity entity in observation.VisibleEntities)
            wire.Entities.Add(new EntitySeen { Name = entity.Kind, X = entity.Position.X, Y = entity.Position.Y, Z = entity.Position.Z, Confidence = 1f });
        foreach (HeardSound sound in observation.Sounds)
        {
            var heard = new SoundHeard { Name = sound.Source, Volume = (float)Math.Max(0, sound.Loudness) };
            if (sound.Position is Vec3 p) heard.Position = new MapVec3 { X = p.X, Y = p.Y, Z = p.Z };
            else if (sound.Direction.X != 0 || sound.Direction.Y != 0 || sound.Direction.Z != 0)
                heard.Direction = new MapVec3 { X = sound.Direction.X, Y = sound.Direction.Y, Z = sound.Direction.Z };
            else continue;
            wire.Sounds.Add(heard);
        }
        return wire;
    }

    /// <summary>
    /// A block's name on the map: its item name, except where Minecraft's block id differs and the map would read
    /// the item name as another block: the world's <c>grass</c> is the ground block (<c>grass_block</c>; the map reads
    /// <c>grass</c> as the plant, which is walked through) and its <c>snow</c> a full block (<c>snow_block</c>, not the
    /// thin layer). Without this every grassy floor looked passable to the map and no standing cell was found on it.
    /// </summary>
    public static string MapBlockName(Block block) => block switch
    {
        Block.Grass => "grass_block",
        Block.Snow => "snow_block",
        _ => Items.OfBlock(block),
    };

    private static PackedBlocks Pack(IReadOnlyList<SeenBlock> blocks)
    {
        var palette = new List<string>();
        var index = new Dictionary<Block, int>();
        byte[] cells = new byte[blocks.Count * 16];
        for (int i = 0; i < blocks.Count; i++)
        {
            SeenBlock b = blocks[i];
            if (!index.TryGetValue(b.Block, out int id))
            {
                id = palette.Count;
                index[b.Block] = id;
                palette.Add(MapBlockName(b.Block));
            }
            Span<byte> cell = cells.AsSpan(i * 16, 16);
            BitConverter.TryWriteBytes(cell[..4], b.Position.X);
            BitConverter.TryWriteBytes(cell[4..8], b.Position.Y);
            BitConverter.TryWriteBytes(cell[8..12], b.Position.Z);
            BitConverter.TryWriteBytes(cell[12..16], id);
        }
        var packed = new PackedBlocks { Cells = ByteString.CopyFrom(cells) };
        packed.Palette.AddRange(palette);
        return packed;
    }

    public static WireGrid ToWire(VoxelGrid grid) => new()
    {
        SizeX = (uint)grid.SizeX,
        SizeY = (uint)grid.SizeY,
        SizeZ = (uint)grid.SizeZ,
        Occupancy = ByteString.CopyFrom(grid.Pack()),
    };

    public static VoxelGrid FromWire(WireGrid grid) =>
        VoxelGrid.Unpack((int)grid.SizeX, (int)grid.SizeY, (int)grid.SizeZ, grid.Occupancy.Span);

    /// <summary>
    /// The blocks of an answered grid (MATERIALS.md's packed layout), or null when the answer has none: no BlockGrid, an
    /// empty palette (a model that imagines occupancy only), or one this pipeline cannot read (a block it does not know,
    /// a wrong count of indices). No block is ever made up.
    /// </summary>
    public static MaterialGrid? FromWire(BlockGrid? blocks, VoxelGrid occupancy)
    {
        if (blocks is null || blocks.Palette.Count == 0) return null;
        var palette = new List<BlockMaterial>(blocks.Palette.Count);
        foreach (string name in blocks.Palette)
        {
            if (!BlockMaterials.TryParse(name, out BlockMaterial m) || m == BlockMaterial.Air) return null;
            palette.Add(m);
        }
        try { return MaterialGrid.Unpack(occupancy, palette, blocks.BlockIndices.Span); }
        catch (ArgumentException) { return null; }
    }

    public static IReadOnlyList<PlannedBlock> FromWire(BuildOrder? order) =>
        order is null ? [] : order.Steps.Select(s => new PlannedBlock((int)s.X, (int)s.Y, (int)s.Z, s.Action switch
        {
            BuildAction.Scaffold => PlannedBlockAction.Scaffold,
            BuildAction.Remove => PlannedBlockAction.Remove,
            _ => PlannedBlockAction.Place,
        })).ToArray();
}
