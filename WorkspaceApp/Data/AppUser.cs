using Microsoft.AspNetCore.Identity;

namespace WorkspaceApp.Data;

public class AppUser : IdentityUser
{
}
