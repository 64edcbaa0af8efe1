using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkspaceApp.Data.Migrations
{
    /// <inheritdoc />
    public partial class UsageReporting : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_UsageRecords_WorkspaceId_AtUtc_Id",
                table: "UsageRecords",
                columns: new[] { "WorkspaceId", "AtUtc", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_UsageRecords_WorkspaceId_AtUtc_Id",
                table: "UsageRecords");
        }
    }
}
