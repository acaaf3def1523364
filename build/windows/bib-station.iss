; Inno Setup 6 script: the Windows installer of Bib Station.
;
; Build the one-folder bundle on Windows first (Git Bash: build/build.sh, or
;   .venv\Scripts\pyinstaller station.spec --noconfirm --distpath build\dist --workpath build\work)
; then compile this script:
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 build\windows\bib-station.iss
; The installer lands in build\dist\bib-station-0.1.0-setup.exe.
;
; It installs for the current user by default (no administrator needed on a
; rented laptop) or for all users, adds Start-menu and desktop shortcuts, and
; its uninstaller removes the program but keeps the station's data (event
; package, station log, settings, logs) unless the person uninstalling answers
; Yes to "Also delete this station's data?" (No is the default).
;
; Data per account: a current-user install keeps the station's data in that
; account's %LOCALAPPDATA%\bib-station. An all-users install offers "one
; station for every Windows account": BIB_STATION_HOME is set machine-wide to
; %ProgramData%\bib-station (writable by the laptop's users), so the laptop is
; provisioned once whoever logs in. Its uninstaller only ever deletes the
; folder that install used - never another account's %LOCALAPPDATA%.
; Firewall: an all-users install can add an inbound rule for the hub
; (station.exe, TCP 8765, private and domain networks); the uninstaller removes it.
; Third-party licences: THIRD_PARTY_NOTICES (made by station.spec) is shown
; before installing and gets a Start-menu shortcut.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Bib Station"
#define BundleDir "..\dist\bib-station-" + AppVersion
; platformdirs' folders on Windows (station/settings.py, appauthor=False): settings, data and
; logs (Logs\) all live under %LOCALAPPDATA%\bib-station.
#define DataDir "{localappdata}\bib-station"
#define SharedDataDir "{commonappdata}\bib-station"
#define HubPort "8765"

[Setup]
AppId={{6F0C2E57-4B8E-4C1B-9E0A-B1B57A710001}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Bib Station
DefaultDirName={autopf}\Bib Station
DefaultGroupName=Bib Station
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename=bib-station-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
LicenseFile=..\..\LICENSE
InfoBeforeFile={#BundleDir}\_internal\THIRD_PARTY_NOTICES.txt
; BIB_STATION_HOME for all accounts: Windows must tell running programs the environment changed.
ChangesEnvironment=yes
UninstallDisplayName={#AppName} {#AppVersion}
UninstallDisplayIcon={app}\bib-station.exe
; An update installs over the old version: close a running station first.
; station.exe is the command line (selfcheck, import, hub serve); bib-station.exe the window.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "ja"; MessagesFile: "compiler:Languages\Japanese.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"
Name: "shareddata"; Description: "One station for every Windows account on this laptop (data in {#SharedDataDir})"; \
  Check: IsAdminInstallMode
Name: "hubfirewall"; Description: "Allow the hub through Windows Firewall (TCP {#HubPort}, private networks; only on the hub laptop)"; \
  Check: IsAdminInstallMode; Flags: unchecked

[Dirs]
; Every user of the laptop writes the shared station's settings, log and event package.
Name: "{#SharedDataDir}"; Permissions: users-modify; Tasks: shareddata

[Registry]
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"; \
  ValueType: string; ValueName: "BIB_STATION_HOME"; ValueData: "{#SharedDataDir}"; \
  Flags: uninsdeletevalue; Tasks: shareddata

[Files]
; The whole one-folder bundle. An update replaces it; the data folder is elsewhere.
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; Files of the previous version that the new one no longer ships.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\Bib Station"; Filename: "{app}\bib-station.exe"; Parameters: "app"; WorkingDir: "{app}"
Name: "{group}\Bib Station self-check"; Filename: "{cmd}"; \
  Parameters: "/k ""{app}\station.exe"" selfcheck"; WorkingDir: "{app}"
Name: "{group}\Third-party licences"; Filename: "{app}\_internal\THIRD_PARTY_NOTICES.txt"
Name: "{group}\Uninstall Bib Station"; Filename: "{uninstallexe}"
Name: "{autodesktop}\Bib Station"; Filename: "{app}\bib-station.exe"; Parameters: "app"; \
  WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{sys}\netsh.exe"; Parameters: "advfirewall firewall delete rule name=""Bib Station hub"""; \
  Flags: runhidden; Tasks: hubfirewall
Filename: "{sys}\netsh.exe"; \
  Parameters: "advfirewall firewall add rule name=""Bib Station hub"" dir=in action=allow protocol=TCP localport={#HubPort} program=""{app}\station.exe"" profile=private,domain"; \
  Flags: runhidden; StatusMsg: "Allowing the hub through Windows Firewall..."; Tasks: hubfirewall
Filename: "{app}\bib-station.exe"; Parameters: "app"; Description: "{cm:LaunchProgram,Bib Station}"; \
  Flags: nowait postinstall skipifsilent

[UninstallRun]
Filename: "{sys}\netsh.exe"; Parameters: "advfirewall firewall delete rule name=""Bib Station hub"""; \
  Flags: runhidden; RunOnceId: "DelHubFirewallRule"; Tasks: hubfirewall

[Code]
var
  DeleteData: Boolean;
  DataFolder: String;

{ The data folder THIS install used: the shared one of an all-users install with
  "one station for every account", else the uninstalling account's own. An
  all-users uninstall run by an administrator must not touch (or claim to delete)
  other accounts' folders: it says where they are instead. }
function StationDataFolder(): String;
begin
  { The install's "shareddata" task wrote this value; it is removed only after this question. }
  if RegValueExists(HKLM, 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment',
      'BIB_STATION_HOME') then
    Result := ExpandConstant('{#SharedDataDir}')
  else if IsAdminInstallMode then
    Result := ''
  else
    Result := ExpandConstant('{#DataDir}');
end;

{ The uninstaller asks, before it starts, whether to delete the station's
  data as well. No (the default button, and what a silent uninstall does) keeps it: a laptop uninstalled by
  mistake during the expo must not lose its station log, the only record of
  the pickups it has not synced yet. }
procedure InitializeUninstallProgressForm();
var
  Answer: Integer;
begin
  DeleteData := False;
  DataFolder := StationDataFolder();
  if UninstallSilent then
    exit;
  if DataFolder = '' then
  begin
    MsgBox('Each Windows account that used Bib Station keeps its own station data in its '
      + '%LOCALAPPDATA%\bib-station folder. They stay; delete them from each account if they are no longer needed '
      + '(after the pickups have synced with the hub).', mbInformation, MB_OK);
    exit;
  end;
  Answer := MsgBox('Also delete this station''s data (event package, station log, settings and logs in '
    + DataFolder + ')?' + #13#10#13#10
    + 'Choose No to keep it (the default): pickups not yet synced with the hub are only there.',
    mbConfirmation, MB_YESNO or MB_DEFBUTTON2);
  DeleteData := Answer = IDYES;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and DeleteData and (DataFolder <> '') then
  begin
    DelTree(DataFolder, True, True, True);
  end;
end;
