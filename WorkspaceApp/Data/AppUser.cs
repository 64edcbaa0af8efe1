using Microsoft.AspNetCore.Identity;

namespace WorkspaceApp.Data;

public class AppUser : IdentityUser
{
    /// <summary>
    /// The workspace the user last chose in the switcher. Only a preference: a user who is no longer its member
    /// gets their first remaining workspace (see WorkspaceService.FindForUserAsync).
    /// </summary>
    public int? CurrentWorkspaceId { get; set; }
}
