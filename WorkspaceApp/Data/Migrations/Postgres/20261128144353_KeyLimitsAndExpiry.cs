using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkspaceApp.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class KeyLimitsAndExpiry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ExpiresAtUtc",
                table: "ApiKeys",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ExpiryWarnedAtUtc",
                table: "ApiKeys",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LimitHeldMicros",
                table: "ApiKeys",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "LimitMicros",
                table: "ApiKeys",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "LimitPeriod",
                table: "ApiKeys",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "SpentDayMicros",
                table: "ApiKeys",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<DateTime>(
                name: "SpentDayStartUtc",
                table: "ApiKeys",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SpentMonthMicros",
                table: "ApiKeys",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<DateTime>(
                name: "SpentMonthStartUtc",
                table: "ApiKeys",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SpentTotalMicros",
                table: "ApiKeys",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ExpiresAtUtc",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "ExpiryWarnedAtUtc",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "LimitHeldMicros",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "LimitMicros",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "LimitPeriod",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "SpentDayMicros",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "SpentDayStartUtc",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "SpentMonthMicros",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "SpentMonthStartUtc",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "SpentTotalMicros",
                table: "ApiKeys");
        }
    }
}
