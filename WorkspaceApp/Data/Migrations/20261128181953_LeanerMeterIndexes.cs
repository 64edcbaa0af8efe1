using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkspaceApp.Data.Migrations
{
    /// <inheritdoc />
    public partial class LeanerMeterIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_UsageRecords_WorkspaceId_Id",
                table: "UsageRecords");

            migrationBuilder.DropIndex(
                name: "IX_CreditHolds_CreatedAtUtc",
                table: "CreditHolds");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_UsageRecords_WorkspaceId_Id",
                table: "UsageRecords",
                columns: new[] { "WorkspaceId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_CreditHolds_CreatedAtUtc",
                table: "CreditHolds",
                column: "CreatedAtUtc");
        }
    }
}
