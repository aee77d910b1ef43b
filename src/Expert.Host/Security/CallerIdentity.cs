using System.Security.Claims;
using Grpc.Core;

namespace Expert.Host.Security;

/// <summary>The authenticated principal behind a call: its name (owner of episodes, unit of quotas) and whether it is an admin.</summary>
internal sealed record Caller(string Principal, bool IsAdmin)
{
    /// <summary>The caller of <paramref name="context"/>, or null when the call is anonymous (authentication off, or a health/reflection call).</summary>
    public static Caller? Of(ServerCallContext context)
    {
        ClaimsPrincipal user = context.GetHttpContext().User;
        if (user.Identity is not { IsAuthenticated: true, Name: { Length: > 0 } name }) return null;
        return new Caller(name, user.IsInRole(ExpertRoles.Admin));
    }
}
