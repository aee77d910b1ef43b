namespace Expert.Host.Security;

/// <summary>
/// The roles a principal can hold and the policies the services require. <c>admin</c> implies the other
/// two and also lists, reads and deletes every principal's episodes.
/// </summary>
internal static class ExpertRoles
{
    /// <summary>steve2.expert.v1.OccupancyExpert (generate, render, build orders).</summary>
    public const string Occupancy = "occupancy";

    /// <summary>steve2.expert.v1.DynamicMapExpert (its own episodes).</summary>
    public const string Maps = "maps";

    /// <summary>Everything, and every principal's episodes.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Occupancy, Maps, Admin };
}

/// <summary>Authorization policy names, put on the services with <c>[Authorize(Policy = ...)]</c>.</summary>
internal static class ExpertPolicies
{
    public const string Occupancy = "expert.occupancy";
    public const string Maps = "expert.maps";
}
