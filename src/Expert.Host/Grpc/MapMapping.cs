using System.Runtime.InteropServices;
using Expert.DynamicMap.Agents;
using Expert.DynamicMap.Describe;
using Expert.DynamicMap.Episodes;
using Expert.DynamicMap.Frontiers;
using Expert.DynamicMap.Geometry;
using Expert.DynamicMap.Landmarks;
using Expert.DynamicMap.Layers;
using Expert.DynamicMap.Observations;
using Expert.DynamicMap.Rendering;
using Expert.Host.Options;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Wire = Steve2.Expert.V1;

namespace Expert.Host.Grpc;

/// <summary>
/// Proto messages to library requests and back. Zero or unset proto fields take the defaults the proto's
/// comments name; what the wire form alone can get wrong (a missing pose, both block forms, a torn packed
/// array, too big an answer) is reported here as field violations, everything else by the library.
/// </summary>
internal static class MapMapping
{
    /// <summary>Bytes of one packed block: four little-endian int32 (x, y, z, palette index).</summary>
    public const int PackedBlockBytes = 16;

    // ---- Observations ---------------------------------------------------------------------------

    /// <summary>A wire batch as a library batch; throws <see cref="MapValidationException"/> for wire-level faults.</summary>
    public static ObservationBatch ToBatch(Wire.ObservationBatch wire, MapHostOptions limits, CancellationToken cancellationToken)
    {
        var violations = new List<FieldViolation>();
        if (wire.Observations.Count > limits.MaxObservationsPerBatch)
            violations.Add(new("observations", $"holds {wire.Observations.Count} observations; at most {limits.MaxObservationsPerBatch} per batch (Map:MaxObservationsPerBatch)"));
        long blocks = 0;
        foreach (var o in wire.Observations) blocks += o.Blocks.Count + (o.PackedBlocks?.Cells.Length ?? 0) / PackedBlockBytes;
        if (blocks > limits.MaxBlocksPerBatch)
            violations.Add(new("observations", $"hold {blocks} blocks in all; at most {limits.MaxBlocksPerBatch} per batch (Map:MaxBlocksPerBatch): split the batch"));
        if (violations.Count > 0) throw new MapValidationException(violations);

        var observations = new Observation[wire.Observations.Count];
        for (int i = 0; i < observations.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            observations[i] = ToObservation(wire.Observations[i], $"observations[{i}]", violations);
        }
        if (violations.Count > 0) throw new MapValidationException(violations);
        return new ObservationBatch(observations, wire.BatchId);
    }

    private static Observation ToObservation(Wire.Observation o, string path, List<FieldViolation> violations)
    {
        if (o.Pose is null) violations.Add(new($"{path}.pose", "must be set: the agent's feet and view are needed to clear the cells it looks through"));
        var pose = o.Pose is null ? default : new MapPose(o.Pose.X, o.Pose.Y, o.Pose.Z, o.Pose.Yaw, o.Pose.Pitch);

        IReadOnlyList<string> palette;
        BlockSeen[] blocks;
        var packed = o.PackedBlocks;
        if (packed is not null && o.Blocks.Count > 0)
        {
            violations.Add(new($"{path}.packed_blocks", "is set together with blocks: send one of blocks and packed_blocks"));
            palette = [];
            blocks = [];
        }
        else if (packed is not null)
        {
            palette = packed.Palette;
            blocks = Unpack(packed.Cells, $"{path}.packed_blocks.cells", violations);
        }
        else (palette, blocks) = Index(o.Blocks);

        var entities = new EntitySeen[o.Entities.Count];
        for (int k = 0; k < entities.Length; k++)
        {
            var e = o.Entities[k];
            entities[k] = new EntitySeen(e.Name, e.X, e.Y, e.Z, e.Confidence == 0 ? 1f : e.Confidence);
        }

        var sounds = new SoundHeard[o.Sounds.Count];
        for (int k = 0; k < sounds.Length; k++)
        {
            var s = o.Sounds[k];
            sounds[k] = s.PlaceCase switch
            {
                Wire.SoundHeard.PlaceOneofCase.Position => new SoundHeard(s.Name, s.Volume, Position: ToVec(s.Position)),
                Wire.SoundHeard.PlaceOneofCase.Direction => new SoundHeard(s.Name, s.Volume, Direction: ToVec(s.Direction)),
                _ => new SoundHeard(s.Name, s.Volume), // the library reports "needs a position or a direction"
            };
        }
        return new Observation(o.AgentId, o.Tick, pose, palette, blocks, entities, sounds);
    }

    private static BlockSeen[] Unpack(ByteString cells, string field, List<FieldViolation> violations)
    {
        if (cells.Length % PackedBlockBytes != 0)
        {
            violations.Add(new(field, $"is {cells.Length} bytes; packed blocks take {PackedBlockBytes} bytes each (int32 x, y, z, palette index)"));
            return [];
        }
        if (BitConverter.IsLittleEndian) return MemoryMarshal.Cast<byte, BlockSeen>(cells.Span).ToArray();
        var span = cells.Span;
        var blocks = new BlockSeen[cells.Length / PackedBlockBytes];
        for (int j = 0; j < blocks.Length; j++)
        {
            var b = span.Slice(j * PackedBlockBytes, PackedBlockBytes);
            blocks[j] = new BlockSeen(
                System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(b),
                System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(b[4..]),
                System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(b[8..]),
                System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(b[12..]));
        }
        return blocks;
    }

    /// <summary>Named blocks to an observation palette and indices (an empty name is kept: the library names the block that has it).</summary>
    private static (IReadOnlyList<string> Palette, BlockSeen[] Blocks) Index(IReadOnlyList<Wire.BlockSeen> named)
    {
        var palette = new List<string>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var blocks = new BlockSeen[named.Count];
        for (int j = 0; j < blocks.Length; j++)
        {
            var b = named[j];
            if (!ids.TryGetValue(b.Block, out int id))
            {
                id = palette.Count;
                palette.Add(b.Block);
                ids.Add(b.Block, id);
            }
            blocks[j] = new BlockSeen(b.X, b.Y, b.Z, id);
        }
        return (palette, blocks);
    }

    /// <summary>Library blocks to the packed wire form (for clients and the benchmark).</summary>
    public static Wire.PackedBlocks Pack(IReadOnlyList<string> palette, ReadOnlySpan<BlockSeen> blocks)
    {
        var packed = new Wire.PackedBlocks();
        packed.Palette.AddRange(palette);
        if (BitConverter.IsLittleEndian)
        {
            packed.Cells = ByteString.CopyFrom(MemoryMarshal.AsBytes(blocks));
            return packed;
        }
        var bytes = new byte[blocks.Length * PackedBlockBytes];
        for (int j = 0; j < blocks.Length; j++)
        {
            var b = bytes.AsSpan(j * PackedBlockBytes);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(b, blocks[j].X);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(b[4..], blocks[j].Y);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(b[8..], blocks[j].Z);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(b[12..], blocks[j].Block);
        }
        packed.Cells = ByteString.CopyFrom(bytes);
        return packed;
    }

    /// <summary>A library observation in the packed wire form.</summary>
    public static Wire.Observation ToWire(Observation o)
    {
        var wire = new Wire.Observation
        {
            AgentId = o.AgentId,
            Tick = o.Tick,
            Pose = new Wire.Pose { X = o.Pose.X, Y = o.Pose.Y, Z = o.Pose.Z, Yaw = o.Pose.Yaw, Pitch = o.Pose.Pitch },
        };
        if (o.Blocks.Length > 0) wire.PackedBlocks = Pack(o.Palette, o.Blocks);
        foreach (var e in o.Entities) wire.Entities.Add(new Wire.EntitySeen { Name = e.Name, X = e.X, Y = e.Y, Z = e.Z, Confidence = e.Confidence });
        foreach (var s in o.Sounds)
        {
            var sound = new Wire.SoundHeard { Name = s.Name, Volume = s.Volume };
            if (s.Position is Vec3 p) sound.Position = ToWire(p);
            if (s.Direction is Vec3 d) sound.Direction = ToWire(d);
            wire.Sounds.Add(sound);
        }
        return wire;
    }

    public static Wire.BatchResult ToWire(BatchResult r) => new()
    {
        Applied = r.Applied,
        Duplicate = r.Duplicate,
        BatchKey = r.BatchKey,
        Observations = r.Observations,
        Blocks = r.Blocks,
        Version = r.Version,
        Tick = r.Tick,
        NewChunks = r.NewChunks,
    };

    // ---- Episodes -------------------------------------------------------------------------------

    public static Wire.EpisodeInfo ToWire(EpisodeInfo info)
    {
        var wire = new Wire.EpisodeInfo
        {
            EpisodeId = info.Id,
            Created = Timestamp.FromDateTimeOffset(info.Created),
            Closed = info.IsClosed,
            Loaded = info.Loaded,
        };
        if (info.ClosedAt is DateTimeOffset closedAt) wire.ClosedAt = Timestamp.FromDateTimeOffset(closedAt);
        if (info.Stats is MapStats s)
        {
            wire.Stats = new Wire.MapStats
            {
                Version = s.Version,
                Tick = s.Tick,
                Agents = s.Agents,
                Chunks = s.Chunks,
                KnownCells = s.KnownCells,
                BlockObservations = s.BlockObservations,
                PaletteSize = s.PaletteSize,
                Landmarks = s.Landmarks,
                SoundSources = s.SoundSources,
                ApproximateBytes = s.ApproximateBytes,
            };
        }
        return wire;
    }

    // ---- Layers ---------------------------------------------------------------------------------

    /// <summary>The layer request of a GetMap call; <paramref name="explored"/> is the region used when the call names none.</summary>
    public static LayerRequest ToLayerRequest(Wire.GetMapRequest request, MapHostOptions limits, MapRegion? explored = null)
    {
        var violations = new List<FieldViolation>();
        MapRegion? region = request.Region is null ? explored : ToRegion(request.Region);
        if (region is null) violations.Add(new("region", "must be set: columns x0..x0+width, z0..z0+depth and cells y_min..y_max"));
        var layers = new List<MapLayer>(request.Layers.Count);
        for (int i = 0; i < request.Layers.Count; i++)
        {
            var layer = request.Layers[i];
            if (layer == Wire.MapLayer.Unspecified || !System.Enum.IsDefined((MapLayer)(int)layer))
                violations.Add(new($"layers[{i}]", $"{(int)layer} is not a layer: use MAP_LAYER_HEIGHT .. MAP_LAYER_FRONTIER, or none for all"));
            else layers.Add((MapLayer)(int)layer);
        }
        if (region is { Width: > 0, Depth: > 0 } r && violations.Count == 0)
        {
            long perColumn = (layers.Count == 0 ? LayerRequest.AllLayers : layers)
                .Sum(l => (long)LayerPlane.ElementSize(LayerPlane.ElementTypeOf(l)));
            long bytes = (long)r.Width * r.Depth * perColumn;
            string which = request.Region is null ? $"unset, so the explored {r.Width} x {r.Depth} columns at ({r.X0}, {r.Z0}), which" : $"{r.Width} x {r.Depth} columns";
            if (bytes > limits.MaxGetMapBytes)
                violations.Add(new("region", $"{which} would answer {bytes} bytes of layers; at most {limits.MaxGetMapBytes} " +
                    "(Map:MaxGetMapBytes): ask for a smaller region or fewer layers"));
        }
        if (violations.Count > 0) throw new MapValidationException(violations);
        return new LayerRequest(region!.Value, layers.Count == 0 ? null : layers, NullIfEmpty(request.AgentId));
    }

    public static Wire.MapLayers ToWire(MapLayers layers)
    {
        var wire = new Wire.MapLayers { Region = ToWire(layers.Region), Tick = layers.Tick };
        foreach (var plane in layers.Planes)
        {
            wire.Planes.Add(new Wire.LayerPlane
            {
                Layer = (Wire.MapLayer)(int)plane.Layer,
                ElementType = (Wire.LayerElementType)(int)plane.ElementType,
                // The library hands over a fresh array per call: no copy needed.
                Data = UnsafeByteOperations.UnsafeWrap(plane.Data),
            });
        }
        wire.Palette.AddRange(layers.Palette);
        return wire;
    }

    public static MapRegion ToRegion(Wire.MapRegion r) => new(r.X0, r.Z0, r.Width, r.Depth, r.YMin, r.YMax);

    public static Wire.MapRegion ToWire(MapRegion r) => new() { X0 = r.X0, Z0 = r.Z0, Width = r.Width, Depth = r.Depth, YMin = r.YMin, YMax = r.YMax };

    // ---- Frontiers ------------------------------------------------------------------------------

    /// <summary>Defaults for zero or unset fields: radius 64, vertical_reach 16, min_size 3, gain_weight 1, distance_weight 0.5, max_results 16, unseen_weight 0.1.</summary>
    public static FrontierRequest ToFrontierRequest(Wire.GetFrontiersRequest r) => new(
        r.AgentId,
        Radius: r.Radius == 0 ? 64 : r.Radius,
        VerticalReach: r.VerticalReach == 0 ? 16 : r.VerticalReach,
        YMin: r.HasYMin ? r.YMin : null,
        YMax: r.HasYMax ? r.YMax : null,
        MinSize: r.MinSize == 0 ? 3 : r.MinSize,
        GainWeight: r.HasGainWeight ? r.GainWeight : 1.0,
        DistanceWeight: r.HasDistanceWeight ? r.DistanceWeight : 0.5,
        MaxResults: r.MaxResults == 0 ? 16 : r.MaxResults,
        UnseenWeight: r.HasUnseenWeight ? r.UnseenWeight : FrontierRequest.DefaultUnseenWeight,
        ObservedOnly: r.ObservedOnly);

    public static Wire.FrontierReport ToWire(FrontierReport report, bool includeCells)
    {
        var wire = new Wire.FrontierReport
        {
            AgentId = report.AgentId,
            AgentCell = ToWire(report.AgentCell),
            WhyNone = report.WhyNone ?? "",
            Stats = new Wire.FrontierStats
            {
                KnownCells = report.Stats.KnownCells,
                StandingCells = report.Stats.StandingCells,
                ReachableCells = report.Stats.ReachableCells,
                FrontierCells = report.Stats.FrontierCells,
                Groups = report.Stats.Groups,
                Region = ToWire(report.Stats.Region),
                InferredCells = report.Stats.InferredCells,
            },
        };
        foreach (var f in report.Frontiers)
        {
            var frontier = new Wire.Frontier
            {
                Rank = f.Rank,
                Size = f.Size,
                Centroid = ToWire(f.Centroid),
                Goal = ToWire(f.Goal),
                PathDistance = f.PathDistance,
                StraightDistance = f.StraightDistance,
                Score = f.Score,
                UnseenArea = f.UnseenArea,
                InferredCells = f.InferredCells,
            };
            if (includeCells) frontier.Cells.AddRange(f.Cells.Select(ToWire));
            wire.Frontiers.Add(frontier);
        }
        foreach (var s in report.SetAside)
            wire.SetAside.Add(new Wire.SetAsideFrontier { Size = s.Size, Centroid = ToWire(s.Centroid), Reason = s.Reason });
        return wire;
    }

    public static Cell ToCell(Wire.MapCell? cell, string field) =>
        cell is null ? throw new MapValidationException(field, "must be set") : new Cell(cell.X, cell.Y, cell.Z);

    public static Wire.BlacklistEntry ToWire(BlacklistEntry e) => new()
    {
        Cell = ToWire(e.Cell),
        Radius = e.Radius,
        Reason = e.Reason,
        AgentId = e.AgentId ?? "",
        Tick = e.Tick,
    };

    // ---- Landmarks, targets, agents -------------------------------------------------------------

    public static Wire.Landmark ToWire(Landmark l, long now, double halfLifeTicks) => new()
    {
        Id = l.Id,
        Kind = l.Kind,
        Label = l.Label ?? "",
        Position = ToWire(l.Position),
        FirstTick = l.FirstTick,
        LastTick = l.LastTick,
        Sightings = l.Sightings,
        DetectionConfidence = l.DetectionConfidence,
        Confidence = l.ConfidenceAt(now, halfLifeTicks),
        LastAgentId = l.LastAgentId,
    };

    public static Wire.TargetMatch ToWire(TargetMatch m)
    {
        var wire = new Wire.TargetMatch
        {
            Kind = (Wire.TargetKind)(int)m.Kind,
            Id = m.Id,
            Name = m.Name,
            Label = m.Label ?? "",
            Position = ToWire(m.Position),
            Located = m.Located,
            Uncertainty = m.Uncertainty,
            Confidence = m.Confidence,
            LastTick = m.LastTick,
            Sightings = m.Sightings,
            Direction = m.Direction ?? "",
        };
        if (m.Distance is double distance) wire.Distance = distance;
        return wire;
    }

    public static Wire.AgentInfo ToWire(AgentState a, IReadOnlyList<TrailPoint>? trail)
    {
        var wire = new Wire.AgentInfo
        {
            AgentId = a.Id,
            Pose = new Wire.Pose { X = a.Pose.X, Y = a.Pose.Y, Z = a.Pose.Z, Yaw = a.Pose.Yaw, Pitch = a.Pose.Pitch },
            LastTick = a.LastTick,
            FirstTick = a.FirstTick,
            Observations = a.Observations,
            PathLength = a.PathLength,
        };
        if (trail is not null)
            foreach (var p in trail) wire.Trail.Add(new Wire.TrailPoint { Tick = p.Tick, X = p.X, Y = p.Y, Z = p.Z });
        return wire;
    }

    // ---- Pictures, text, changes ----------------------------------------------------------------

    /// <summary>Defaults: region unset is everything observed; 0 pixels is 512; base unset is the surface.</summary>
    public static RenderRequest ToRenderRequest(Wire.RenderMapRequest r, MapHostOptions limits)
    {
        var violations = new List<FieldViolation>();
        int width = r.WidthPx == 0 ? 512 : r.WidthPx, height = r.HeightPx == 0 ? 512 : r.HeightPx;
        if (width is < 16 || width > limits.MaxRenderPixels) violations.Add(new("width_px", $"{width} must be within 16..{limits.MaxRenderPixels} pixels (0: 512)"));
        if (height is < 16 || height > limits.MaxRenderPixels) violations.Add(new("height_px", $"{height} must be within 16..{limits.MaxRenderPixels} pixels (0: 512)"));
        var renderBase = r.Base == Wire.RenderBase.Unspecified ? RenderBase.Surface : (RenderBase)(int)r.Base;
        if (!System.Enum.IsDefined(renderBase)) violations.Add(new("base", $"{(int)r.Base} is not a render base"));
        if (violations.Count > 0) throw new MapValidationException(violations);
        return new RenderRequest(
            r.Region is null ? null : ToRegion(r.Region), width, height, renderBase,
            Trails: !r.HideTrails, Agents: !r.HideAgents, Frontiers: !r.HideFrontiers, Landmarks: !r.HideLandmarks,
            Sounds: !r.HideSounds, Legend: !r.HideLegend, ScaleBar: !r.HideScaleBar);
    }

    /// <summary>Defaults for zero fields: 3 frontiers, 8 landmarks, 5 sounds; agent empty: the one that reported last.</summary>
    public static DescribeRequest ToDescribeRequest(Wire.DescribeMapRequest r)
    {
        var violations = new List<FieldViolation>();
        if (r.MaxFrontiers is < 0 or > 100) violations.Add(new("max_frontiers", "must be within 0..100 (0: 3)"));
        if (r.MaxLandmarks is < 0 or > 100) violations.Add(new("max_landmarks", "must be within 0..100 (0: 8)"));
        if (r.MaxSounds is < 0 or > 100) violations.Add(new("max_sounds", "must be within 0..100 (0: 5)"));
        if (violations.Count > 0) throw new MapValidationException(violations);
        var defaults = new DescribeRequest();
        return defaults with
        {
            AgentId = NullIfEmpty(r.AgentId),
            MaxFrontiers = r.MaxFrontiers == 0 ? defaults.MaxFrontiers : r.MaxFrontiers,
            MaxLandmarks = r.MaxLandmarks == 0 ? defaults.MaxLandmarks : r.MaxLandmarks,
            MaxSounds = r.MaxSounds == 0 ? defaults.MaxSounds : r.MaxSounds,
        };
    }

    public static Wire.MapChange ToWire(MapChange c)
    {
        var wire = new Wire.MapChange
        {
            EpisodeId = c.EpisodeId,
            Version = c.Version,
            Tick = c.Tick,
            Kind = (Wire.MapChangeKind)(int)c.Kind,
            Blocks = c.Blocks,
            Landmarks = c.Landmarks,
            SoundSources = c.SoundSources,
        };
        wire.AgentIds.AddRange(c.AgentIds);
        if (c.Touched is MapRegion touched) wire.Touched = ToWire(touched);
        return wire;
    }

    // ---- Small pieces ---------------------------------------------------------------------------

    public static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static Vec3 ToVec(Wire.MapVec3 v) => new(v.X, v.Y, v.Z);

    private static Wire.MapVec3 ToWire(Vec3 v) => new() { X = v.X, Y = v.Y, Z = v.Z };

    private static Wire.MapCell ToWire(Cell c) => new() { X = c.X, Y = c.Y, Z = c.Z };
}
