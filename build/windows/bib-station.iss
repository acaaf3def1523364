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

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Bib Station"
#define BundleDir "..\dist\bib-station-" + AppVersion
; platformdirs' folders on Windows (station/settings.py, appauthor=False): settings, data and
; logs (Logs\) all live under %LOCALAPPDATA%\bib-station.
#define DataDir "{localappdata}\bib-station"

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
Name: "{group}\Uninstall Bib Station"; Filename: "{uninstallexe}"
Name: "{autodesktop}\Bib Station"; Filename: "{app}\bib-station.exe"; Parameters: "app"; \
  WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\bib-station.exe"; Parameters: "app"; Description: "{cm:LaunchProgram,Bib Station}"; \
  Flags: nowait postinstall skipifsilent

[Code]
var
  DeleteData: Boolean;

{ The uninstaller asks, before it starts, whether to delete the station's
  data as well. No (the default button, and what a silent uninstall does) keeps it: a laptop uninstalled by
  mistake during the expo must not lose its station log, the only record of
  the pickups it has not synced yet. }
procedure InitializeUninstallProgressForm();
var
  Answer: Integer;
begin
  DeleteData := False;
  if not UninstallSilent then
  begin
    Answer := MsgBox('Also delete this station''s data (event package, station log, settings and logs in '
      + ExpandConstant('{#DataDir}') + ')?' + #13#10#13#10
      + 'Choose No to keep it (the default): pickups not yet synced with the hub are only there.',
      mbConfirmation, MB_YESNO or MB_DEFBUTTON2);
    DeleteData := Answer = IDYES;
  end;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and DeleteData then
  begin
    DelTree(ExpandConstant('{#DataDir}'), True, True, True);
  end;
end;
