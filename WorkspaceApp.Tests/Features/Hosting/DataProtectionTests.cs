using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WorkspaceApp.Data;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Hosting;

/// <summary>Instances of the app on one database share their keys: nobody is signed out by a restart or a second instance.</summary>
public sealed class DataProtectionTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_form_from_one_instance_posts_to_another_and_the_sign_in_survives_a_restart(DatabaseProvider provider)
    {
        using var first = new AppFactory(provider);
        var user = await first.RegisterAsync();
        using var second = OnTheSameDatabase(first);
        var jar = new CookieJar();
        using var toFirst = jar.ClientOf(first);
        using var toSecond = jar.ClientOf(second);

        // The login form (and its antiforgery token) comes from the first instance, the post goes to the second.
        var login = await StaticForm.PostAsync(toSecond, "/Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email,
            ["Input.Password"] = TestUser.Password,
        }, pageClient: toFirst);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.True(jar.Has(".AspNetCore.Identity.Application"));

        // The sign-in the second instance issued is honoured by the first, and by a new one after a restart.
        Assert.Equal(HttpStatusCode.OK, (await toFirst.GetAsync("/")).StatusCode);
        second.Dispose();
        using var restarted = OnTheSameDatabase(first);
        using var toRestarted = jar.ClientOf(restarted);
        Assert.Equal(HttpStatusCode.OK, (await toRestarted.GetAsync("/")).StatusCode);

        // Signed out, the same request is sent to log in: the 200s above were the cookie's doing.
        using var stranger = new CookieJar().ClientOf(restarted);
        Assert.Equal(HttpStatusCode.Redirect, (await stranger.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task The_key_ring_is_the_database_table_under_a_fixed_application_name()
    {
        using var app = new AppFactory();
        var payload = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("hello");

        await using var scope = app.CreateScope();
        var stored = await scope.ServiceProvider.GetRequiredService<AppDbContext>().DataProtectionKeys.Select(key => key.FriendlyName).ToListAsync();
        var ring = app.Services.GetRequiredService<IKeyManager>().GetAllKeys().Select(key => $"key-{key.KeyId}");
        Assert.NotEmpty(stored);
        Assert.Equal(stored.Order(), ring.Order());
        Assert.Equal("WorkspaceApp", app.Services.GetRequiredService<IOptions<DataProtectionOptions>>().Value.ApplicationDiscriminator);

        using var other = OnTheSameDatabase(app);
        Assert.Equal("hello", other.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(payload));
    }

    private static AppFactory OnTheSameDatabase(AppFactory app) =>
        new AppFactory(app.Provider).With("ConnectionStrings:Default", app.ConnectionString);
}
