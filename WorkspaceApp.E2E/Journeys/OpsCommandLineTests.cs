using WorkspaceApp.E2E.Infrastructure;

namespace WorkspaceApp.E2E.Journeys;

/// <summary>The ops command line, run as the published executable would be, against the running app's database.</summary>
[Collection(E2ECollection.Name)]
public sealed class OpsCommandLineTests(E2EFixture fixture)
{
    [Fact]
    public async Task Create_list_and_change_plan()
    {
        var name = $"Ops {Guid.NewGuid():N}";
        var created = await fixture.App.OpsAsync("workspace", "create", "--name", name, "--owner", $"{Guid.NewGuid():N}@example.com", "--password", "Correct-Horse-42");
        Assert.Equal(0, created.ExitCode);
        Assert.Contains("plan: trial", created.Output, StringComparison.Ordinal);

        var plan = await fixture.App.OpsAsync("plan", "set", "--workspace", name, "--plan", "pro");
        Assert.Equal(0, plan.ExitCode);
        Assert.Contains("plan: pro", plan.Output, StringComparison.Ordinal);

        var list = await fixture.App.OpsAsync("workspace", "list");
        Assert.Contains(list.Output.Split('\n'), line => line.Contains(name, StringComparison.Ordinal) && line.Contains("\tpro\t", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Errors_go_to_stderr_with_a_non_zero_exit_code()
    {
        var unknown = await fixture.App.OpsAsync("plan", "set", "--workspace", "no such workspace", "--plan", "pro");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("No workspace named", unknown.Error, StringComparison.Ordinal);
        Assert.Equal("", unknown.Output);

        var badPlan = await fixture.App.OpsAsync("workspace", "create", "--name", "X", "--owner", "x@example.com", "--plan", "gold");
        Assert.Equal(1, badPlan.ExitCode);
        Assert.Contains("Unknown plan", badPlan.Error, StringComparison.Ordinal);

        var noCommand = await fixture.App.OpsAsync("frobnicate");
        Assert.Equal(2, noCommand.ExitCode);
        Assert.Contains("ops workspace create", noCommand.Error, StringComparison.Ordinal);
    }
}
