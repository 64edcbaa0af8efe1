using WorkspaceApp.Features.Ops;

namespace WorkspaceApp.Features.Members;

public static class MembersRegistration
{
    public static void AddMembers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MembersOptions>().BindConfiguration(MembersOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<MembersService>();
        builder.Services.AddScoped<InvitationService>();
        builder.Services.AddScoped<InvitationEmail>();
        builder.Services.AddScoped<InvitationAcceptance>();
        builder.Services.AddScoped<InvitationRegistration>();
        builder.Services.AddOpsCommand<AddMemberCommand>();
        builder.Services.AddOpsCommand<ListMembersCommand>();
        builder.Services.AddOpsCommand<RemoveMemberCommand>();
        builder.Services.AddOpsCommand<SetMemberRoleCommand>();
    }
}
