namespace Steve2.Pipeline.Teacher.Roles;

/// <summary>The three levels of the teacher's hierarchy.</summary>
public enum TeacherRole { Manager, Conductor, Actor }

public static class TeacherRoleNames
{
    /// <summary>The recorded role name: "manager", "conductor", "actor".</summary>
    public static string Name(this TeacherRole role) => role.ToString().ToLowerInvariant();
}
