using Expert.DynamicMap.Geometry;
using Expert.DynamicMap.Observations;

namespace Expert.DynamicMap.Episodes;

/// <summary>
/// Checks a whole batch before any of it is applied, collecting violations with field paths in the
/// proto's names: "observations[3].pose.x", "observations[0].blocks[12].y", "observations[1].sounds[0].direction".
/// For a packed block batch, blocks[j] is the j-th block of the packed array. At most 100 violations are listed.
/// </summary>
public static class BatchValidator
{
    public const int MaxViolations = 100;

    public static void Validate(ObservationBatch batch, MapOptions options)
    {
        var violations = new List<FieldViolation>();
        void Add(string field, string description)
        {
            if (violations.Count < MaxViolations) violations.Add(new FieldViolation(field, description));
        }

        if (batch.BatchId.Length > options.MaxNameLength)
            Add("batch_id", $"is {batch.BatchId.Length} characters long; at most {options.MaxNameLength}");
        if (batch.Observations.Count == 0)
            Add("observations", "must hold at least one observation");
        if (batch.Observations.Count > options.MaxObservationsPerBatch)
            Add("observations", $"holds {batch.Observations.Count} observations; at most {options.MaxObservationsPerBatch} per batch");
        long blocks = batch.BlockCount;
        if (blocks > options.MaxBlocksPerBatch)
            Add("observations", $"hold {blocks} blocks in all; at most {options.MaxBlocksPerBatch} per batch: split the batch");

        if (violations.Count == 0)
        {
            for (int i = 0; i < batch.Observations.Count && violations.Count < MaxViolations; i++)
                ValidateObservation(batch.Observations[i], $"observations[{i}]", options, Add);
        }

        if (violations.Count > 0) throw new MapValidationException(violations);
    }

    private static void ValidateObservation(Observation observation, string path, MapOptions options, Action<string, string> add)
    {
        var bounds = options.Bounds;
        ValidateName(observation.AgentId, $"{path}.agent_id", options, add);
        if (observation.Tick < 0) add($"{path}.tick", $"must be >= 0 (got {observation.Tick})");

        var pose = observation.Pose;
        bool poseOk = CheckCoordinate(pose.X, bounds.ContainsX(pose.X), bounds.MinX, bounds.MaxX, $"{path}.pose.x", add)
            & CheckCoordinate(pose.Y, bounds.ContainsY(pose.Y), bounds.MinY, bounds.MaxY, $"{path}.pose.y", add)
            & CheckCoordinate(pose.Z, bounds.ContainsZ(pose.Z), bounds.MinZ, bounds.MaxZ, $"{path}.pose.z", add);
        if (!float.IsFinite(pose.Yaw)) add($"{path}.pose.yaw", $"must be finite (got {pose.Yaw})");
        if (!float.IsFinite(pose.Pitch) || pose.Pitch < -90 || pose.Pitch > 90)
            add($"{path}.pose.pitch", $"must be within [-90, 90] degrees (got {pose.Pitch})");

        // Palette: find bad names once, report them at the blocks that use them.
        var palette = observation.Palette;
        bool[]? badName = null;
        for (int k = 0; k < palette.Count; k++)
        {
            string name = palette[k];
            if (string.IsNullOrWhiteSpace(name) || name.Length > options.MaxNameLength)
            {
                badName ??= new bool[palette.Count];
                badName[k] = true;
            }
        }

        double eyeX = pose.X, eyeY = pose.Y + options.EyeHeight, eyeZ = pose.Z;
        double maxSightSquared = poseOk ? options.MaxSightDistance * options.MaxSightDistance : double.PositiveInfinity;
        int minX = bounds.MinX, maxX = bounds.MaxX, minY = bounds.MinY, maxY = bounds.MaxY, minZ = bounds.MinZ, maxZ = bounds.MaxZ;
        uint paletteCount = (uint)palette.Count;
        var blocks = observation.Blocks;
        for (int j = 0; j < blocks.Length; j++)
        {
            var block = blocks[j];
            bool inside = block.X >= minX && block.X <= maxX && block.Y >= minY && block.Y <= maxY && block.Z >= minZ && block.Z <= maxZ;
            bool indexed = (uint)block.Block < paletteCount;
            double dx = block.X + 0.5 - eyeX, dy = block.Y + 0.5 - eyeY, dz = block.Z + 0.5 - eyeZ;
            double distanceSquared = dx * dx + dy * dy + dz * dz;
            if (inside && indexed && distanceSquared <= maxSightSquared && (badName is null || !badName[block.Block])) continue;

            string blockPath = $"{path}.blocks[{j}]";
            if (block.X < bounds.MinX || block.X > bounds.MaxX) add($"{blockPath}.x", $"{block.X} is outside the world bounds [{bounds.MinX}, {bounds.MaxX}]");
            if (block.Y < bounds.MinY || block.Y > bounds.MaxY) add($"{blockPath}.y", $"{block.Y} is outside the world bounds [{bounds.MinY}, {bounds.MaxY}]");
            if (block.Z < bounds.MinZ || block.Z > bounds.MaxZ) add($"{blockPath}.z", $"{block.Z} is outside the world bounds [{bounds.MinZ}, {bounds.MaxZ}]");
            if (!indexed) add($"{blockPath}.block", $"palette index {block.Block} is outside the palette ({palette.Count} names)");
            else if (badName is not null && badName[block.Block])
                add($"{blockPath}.block", string.IsNullOrWhiteSpace(palette[block.Block])
                    ? "must not be empty"
                    : $"is {palette[block.Block].Length} characters long; at most {options.MaxNameLength}");
            if (inside && poseOk && distanceSquared > maxSightSquared)
                add(blockPath, $"is {Math.Sqrt(distanceSquared):0.#} blocks from the eye; at most {options.MaxSightDistance} (MaxSightDistance)");
        }

        if (observation.Entities.Count > options.MaxEntitiesPerObservation)
            add($"{path}.entities", $"holds {observation.Entities.Count} entities; at most {options.MaxEntitiesPerObservation}");
        for (int k = 0; k < observation.Entities.Count; k++)
        {
            var entity = observation.Entities[k];
            string entityPath = $"{path}.entities[{k}]";
            ValidateName(entity.Name, $"{entityPath}.name", options, add);
            CheckCoordinate(entity.X, bounds.ContainsX(entity.X), bounds.MinX, bounds.MaxX, $"{entityPath}.x", add);
            CheckCoordinate(entity.Y, bounds.ContainsY(entity.Y), bounds.MinY, bounds.MaxY, $"{entityPath}.y", add);
            CheckCoordinate(entity.Z, bounds.ContainsZ(entity.Z), bounds.MinZ, bounds.MaxZ, $"{entityPath}.z", add);
            if (!float.IsFinite(entity.Confidence) || entity.Confidence <= 0 || entity.Confidence > 1)
                add($"{entityPath}.confidence", $"must be within (0, 1] (got {entity.Confidence})");
        }

        if (observation.Sounds.Count > options.MaxSoundsPerObservation)
            add($"{path}.sounds", $"holds {observation.Sounds.Count} sounds; at most {options.MaxSoundsPerObservation}");
        for (int k = 0; k < observation.Sounds.Count; k++)
        {
            var sound = observation.Sounds[k];
            string soundPath = $"{path}.sounds[{k}]";
            ValidateName(sound.Name, $"{soundPath}.name", options, add);
            if (!float.IsFinite(sound.Volume) || sound.Volume < 0)
                add($"{soundPath}.volume", $"must be finite and >= 0 (got {sound.Volume})");
            if (sound.Position is null && sound.Direction is null)
                add(soundPath, "needs a position or a direction");
            else if (sound.Position is not null && sound.Direction is not null)
                add(soundPath, "has both a position and a direction; send one");
            if (sound.Position is Vec3 position)
            {
                CheckCoordinate(position.X, bounds.ContainsX(position.X), bounds.MinX, bounds.MaxX, $"{soundPath}.position.x", add);
                CheckCoordinate(position.Y, bounds.ContainsY(position.Y), bounds.MinY, bounds.MaxY, $"{soundPath}.position.y", add);
                CheckCoordinate(position.Z, bounds.ContainsZ(position.Z), bounds.MinZ, bounds.MaxZ, $"{soundPath}.position.z", add);
            }
            if (sound.Direction is Vec3 direction && !direction.IsDirection)
                add($"{soundPath}.direction", "must be finite and not zero");
        }
    }

    private static void ValidateName(string? name, string field, MapOptions options, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(name)) add(field, "must not be empty");
        else if (name.Length > options.MaxNameLength) add(field, $"is {name.Length} characters long; at most {options.MaxNameLength}");
    }

    private static bool CheckCoordinate(double value, bool inside, int min, int max, string field, Action<string, string> add)
    {
        if (!double.IsFinite(value))
        {
            add(field, $"must be finite (got {value})");
            return false;
        }
        if (!inside)
        {
            add(field, $"{value} is outside the world bounds [{min}, {max + 1})");
            return false;
        }
        return true;
    }
}
