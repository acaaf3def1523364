<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>CameraView</name>
    <message>
        <location filename="../../station/ui/counter/camera_view.py" line="67"/>
        <source>Hold the ID&apos;s photo page in the yellow frame</source>
        <translation>身分証の顔写真ページを黄色の枠に合わせてください</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/camera_view.py" line="68"/>
        <source>Closer: the two lines of &lt;&lt;&lt; should fill the yellow frame</source>
        <translation>もっと近づけて：&lt;&lt;&lt; の2行が黄色の枠いっぱいになるように</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/camera_view.py" line="69"/>
        <source>Hold still (no glare)…</source>
        <translation>そのまま動かさないでください（光の反射に注意）…</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/camera_view.py" line="70"/>
        <source>A little further away: the lines run off the picture</source>
        <translation>少し離してください：行が画面からはみ出しています</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/camera_view.py" line="77"/>
        <source>Camera off (see settings); use the scanner or the search.</source>
        <translation>カメラはオフです（設定を参照）。スキャナーか検索を使ってください。</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/camera_view.py" line="80"/>
        <source>Starting the camera…</source>
        <translation>カメラを起動しています…</translation>
    </message>
</context>
<context>
    <name>Category</name>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="207"/>
        <source>registered athlete</source>
        <translation>登録の部</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="208"/>
        <source>general</source>
        <translation>一般</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="209"/>
        <source>charity</source>
        <translation>チャリティ</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="210"/>
        <source>disability</source>
        <translation>障がい者の部</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="211"/>
        <source>youth</source>
        <translation>ジュニア</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="212"/>
        <source>fun run</source>
        <translation>ファンラン</translation>
    </message>
</context>
<context>
    <name>CounterScreen</name>
    <message>
        <location filename="../../station/ui/counter/screen.py" line="316"/>
        <source>Complete and hand over [Ctrl+Enter]</source>
        <translation>完了・お渡し [Ctrl+Enter]</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/screen.py" line="317"/>
        <source>Send to supervisor [F9]</source>
        <translation>責任者へ [F9]</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/screen.py" line="318"/>
        <source>Next runner [Esc]</source>
        <translation>次の方 [Esc]</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/screen.py" line="320"/>
        <source>F2 search · F3 document · F4/Shift+F4 name ✓/✗ · F5/Shift+F5 date of birth ✓/✗ · F6 certificate · F7/F8 escorts · F11 document number · Alt+1… items · Ctrl+Enter complete · F9 supervisor · Esc next runner · a scan starts the next runner at any time</source>
        <translation>F2 検索 · F3 書類の種類 · F4/Shift+F4 氏名 ✓/✗ · F5/Shift+F5 生年月日 ✓/✗ · F6 障害者手帳 · F7/F8 伴走者 · F11 書類の番号 · Alt+1… お渡し品 · Ctrl+Enter 完了 · F9 責任者へ · Esc 次の方 · QRを読み取るといつでも次の方の受付になります</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/screen.py" line="413"/>
        <source>Tick each item as you hand it over (Alt+1…), then Ctrl+Enter.</source>
        <translation>渡した品物にチェックを入れてから（Alt+1…）、Ctrl+Enter を押してください。</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/screen.py" line="432"/>
        <source>Tick every item as you hand it over.</source>
        <translation>お渡しした品物にすべてチェックを入れてください。</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/screen.py" line="362"/>
        <source>Nickname &quot;{nickname}&quot; will not print ({why}). Ask the supervisor before handing over [F9], or the bib prints without it.</source>
        <translation>ニックネーム「{nickname}」は印刷できません（{why}）。お渡しする前に責任者に相談してください [F9]。そのままではニックネームなしで印刷されます。</translation>
    </message>
</context>
<context>
    <name>DashboardView</name>
    <message>
        <location filename="../../station/ui/supervisor/dashboard_view.py" line="103"/>
        <source>Pickups per hour</source>
        <translation>時間ごとの受け渡し数</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/dashboard_view.py" line="104"/>
        <source>Counter</source>
        <translation>受付</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/dashboard_view.py" line="104"/>
        <source>Pickups</source>
        <translation>受け渡し数</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/dashboard_view.py" line="104"/>
        <source>Last heard</source>
        <translation>最終通信</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/dashboard_view.py" line="106"/>
        <source>Category</source>
        <translation>部門</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/dashboard_view.py" line="106"/>
        <source>Block</source>
        <translation>ブロック</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/dashboard_view.py" line="106"/>
        <source>Remaining</source>
        <translation>未受付</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/dashboard_view.py" line="106"/>
        <source>Entrants</source>
        <translation>エントリー数</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/dashboard_view.py" line="114"/>
        <source>{reason} (from station {station})</source>
        <translation>{reason}（ステーション {station} から）</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/dashboard_view.py" line="117"/>
        <source>{count:,} facts set aside at this station: refused at its door, never counted. Newest: {reasons}. Tell IT staff: run `station audit quarantine`.</source>
        <translation>このステーションで保留した記録 {count:,} 件：受け入れ時に拒否し、集計には入れていません。最新：{reasons}。IT担当者に `station audit quarantine` の実行を依頼してください。</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/dashboard_view.py" line="135"/>
        <source>Silent counters (nothing heard for 10 minutes): {names}</source>
        <translation>応答のない受付（10分以上記録なし）：{names}</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/dashboard_view.py" line="140"/>
        <source>On pace: {remaining:,} runners left, {pace:.0f}/h now, {needed:.0f}/h needed, {h}h{m:02d} of check-in left</source>
        <translation>順調：残り {remaining:,} 人、現在 {pace:.0f} 人/時、必要 {needed:.0f} 人/時、受付時間の残り {h}時間{m:02d}分</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/dashboard_view.py" line="142"/>
        <source>AT RISK: {remaining:,} runners left need {needed:.0f}/h, pace is {pace:.0f}/h, {h}h{m:02d} left; open more counters</source>
        <translation>要注意：残り {remaining:,} 人に {needed:.0f} 人/時が必要、現在 {pace:.0f} 人/時、残り {h}時間{m:02d}分。受付を増やしてください</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/dashboard_view.py" line="144"/>
        <source>{remaining:,} runners left; no pickups in the last half hour to measure a pace</source>
        <translation>残り {remaining:,} 人。直近30分の受け渡しがないためペースは未計測です</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/dashboard_view.py" line="145"/>
        <source>Every runner has picked up.</source>
        <translation>全員が受け取りました。</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/dashboard_view.py" line="146"/>
        <source>Check-in is closed; {remaining:,} runners did not pick up</source>
        <translation>受付は終了しました。{remaining:,} 人が未受付です</translation>
    </message>
</context>
<context>
    <name>EntrantCard</name>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="188"/>
        <source>Born {date}  (age {age} on race day)</source>
        <translation>生年月日 {date}（大会当日 {age} 歳）</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="191"/>
        <source>Bib {bib}  ·  Block {block}  ·  {category}  ·  Shirt {shirt}  ·  Nickname: {nickname}  ·  Entry {entry}</source>
        <translation>ナンバー {bib}  ·  ブロック {block}  ·  {category}  ·  シャツ {shirt}  ·  ニックネーム：{nickname}  ·  受付番号 {entry}</translation>
    </message>
</context>
<context>
    <name>EscortPanel</name>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="420"/>
        <source>Disability certificate seen [F6]</source>
        <translation>障害者手帳などを確認した [F6]</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="435"/>
        <source>{name}, bib {bib}, born {date}: here, ID checked [{key}]</source>
        <translation>{name}（ナンバー {bib}、生年月日 {date}）：来場・本人確認済み [{key}]</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="419"/>
        <source>Escort runners (guides)</source>
        <translation>伴走者</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <location filename="../../station/ui/first_run.py" line="167"/>
        <source>Bib Station: set up this counter</source>
        <translation>Bib Station：この受付の設定</translation>
    </message>
    <message>
        <location filename="../../station/ui/first_run.py" line="169"/>
        <source>This laptop has no event yet. Paste (or scan) the provisioning code the hub&apos;s operator gave you for this counter, or choose the event package file.</source>
        <translation>このパソコンにはまだ大会が設定されていません。ハブの担当者から受け取ったこの受付用のプロビジョニングコードを貼り付ける（または読み取る）か、イベントパッケージのファイルを選んでください。</translation>
    </message>
    <message>
        <location filename="../../station/ui/first_run.py" line="174"/>
        <location filename="../../station/ui/first_run.py" line="299"/>
        <source>Scan the code with the webcam</source>
        <translation>ウェブカメラでコードを読み取る</translation>
    </message>
    <message>
        <location filename="../../station/ui/first_run.py" line="175"/>
        <source>Connect to the hub</source>
        <translation>ハブに接続する</translation>
    </message>
    <message>
        <location filename="../../station/ui/first_run.py" line="176"/>
        <source>event package (.sqlite)</source>
        <translation>イベントパッケージ（.sqlite）</translation>
    </message>
    <message>
        <location filename="../../station/ui/first_run.py" line="177"/>
        <source>Choose…</source>
        <translation>選択…</translation>
    </message>
    <message>
        <location filename="../../station/ui/first_run.py" line="178"/>
        <source>Use this file</source>
        <translation>このファイルを使う</translation>
    </message>
    <message>
        <location filename="../../station/ui/first_run.py" line="179"/>
        <source>Run the self-check when set up</source>
        <translation>設定後にセルフチェックを実行する</translation>
    </message>
    <message>
        <location filename="../../station/ui/first_run.py" line="180"/>
        <source>Quit</source>
        <translation>終了</translation>
    </message>
    <message>
        <location filename="../../station/ui/first_run.py" line="181"/>
        <source>&lt;b&gt;Provisioning code&lt;/b&gt;</source>
        <translation>&lt;b&gt;プロビジョニングコード&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../station/ui/first_run.py" line="182"/>
        <source>&lt;b&gt;Or an event package file&lt;/b&gt; (this counter then works alone)</source>
        <translation>&lt;b&gt;またはイベントパッケージのファイル&lt;/b&gt;（この受付は単独で動作します）</translation>
    </message>
    <message>
        <location filename="../../station/ui/first_run.py" line="183"/>
        <source>File</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <location filename="../../station/ui/first_run.py" line="184"/>
        <source>Station name</source>
        <translation>受付名</translation>
    </message>
    <message>
        <location filename="../../station/ui/first_run.py" line="197"/>
        <source>Event package</source>
        <translation>イベントパッケージ</translation>
    </message>
    <message>
        <location filename="../../station/ui/first_run.py" line="217"/>
        <source>Paste the provisioning code first, or scan it.</source>
        <translation>先にプロビジョニングコードを貼り付けるか、読み取ってください。</translation>
    </message>
    <message>
        <location filename="../../station/ui/first_run.py" line="173"/>
        <location filename="../../station/ui/first_run.py" line="275"/>
        <source>Hold the code up to the camera…</source>
        <translation>コードをカメラに向けてください…</translation>
    </message>
    <message>
        <location filename="../../station/ui/first_run.py" line="287"/>
        <source>That is not a provisioning code; hold up the code from the hub.</source>
        <translation>プロビジョニングコードではありません。ハブから受け取ったコードを見せてください。</translation>
    </message>
</context>
<context>
    <name>HandoverPanel</name>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="500"/>
        <source>Bib {bib}</source>
        <translation>ナンバーカード {bib}</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="501"/>
        <source>Participation gift</source>
        <translation>参加賞</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="502"/>
        <source>Shirt {size}</source>
        <translation>シャツ {size}</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="503"/>
        <source>Timing chip {tag}</source>
        <translation>計測チップ {tag}</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="504"/>
        <source>Timing chip: scan its tag</source>
        <translation>計測チップ：タグを読み取る</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="508"/>
        <source>Hand over (tick each item) [Alt+1…{n}]</source>
        <translation>お渡し品（渡したらチェック）[Alt+1…{n}]</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="497"/>
        <source>Escort bib {bib} ({name})</source>
        <translation>伴走者用ナンバー {bib}（{name}）</translation>
    </message>
</context>
<context>
    <name>HandoverQuestion</name>
    <message>
        <location filename="../../station/ui/counter/question.py" line="73"/>
        <source>Did {name} already receive the bib or other items?</source>
        <translation>{name} さんに、ナンバーカードなどをもうお渡ししましたか？</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/question.py" line="76"/>
        <source>Nothing is ticked as handed over yet.</source>
        <translation>お渡し済みのチェックはまだありません。</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/question.py" line="75"/>
        <source>Ticked as handed over so far: {items}</source>
        <translation>お渡し済みとしてチェックしたもの：{items}</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/question.py" line="72"/>
        <source>Was it handed over?</source>
        <translation>お渡ししましたか？</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/question.py" line="77"/>
        <source>[1] Yes, it was handed over: record the pickup</source>
        <translation>[1] はい、お渡ししました：受け取りを記録する</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/question.py" line="78"/>
        <source>[2] No, nothing was handed over: cancel this runner</source>
        <translation>[2] いいえ、何も渡していません：この方の受付を取り消す</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/question.py" line="79"/>
        <source>[Esc] Go back to {name}</source>
        <translation>[Esc] {name} さんの受付に戻る</translation>
    </message>
</context>
<context>
    <name>HourChart</name>
    <message>
        <location filename="../../station/ui/supervisor/dashboard_view.py" line="45"/>
        <source>No pickups yet</source>
        <translation>受け渡しはまだありません</translation>
    </message>
</context>
<context>
    <name>IdPanel</name>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="286"/>
        <source>Japanese driver&apos;s licence</source>
        <translation>運転免許証</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="287"/>
        <source>My Number card</source>
        <translation>マイナンバーカード</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="288"/>
        <source>Residence card</source>
        <translation>在留カード</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="289"/>
        <source>Health insurance card</source>
        <translation>健康保険証</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="290"/>
        <source>Passport (MRZ)</source>
        <translation>パスポート（MRZ）</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="291"/>
        <source>Foreign ID card (MRZ)</source>
        <translation>外国の身分証明書（MRZ）</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="295"/>
        <source>ID document (original, in person) [F3: type]</source>
        <translation>本人確認書類（原本・本人来場）[F3: 種類]</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="301"/>
        <source>Name matches [F4]</source>
        <translation>氏名が一致 [F4]</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="302"/>
        <source>Name differs [Shift+F4]</source>
        <translation>氏名が不一致 [Shift+F4]</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="303"/>
        <source>Date of birth matches [F5]</source>
        <translation>生年月日が一致 [F5]</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="304"/>
        <source>Date of birth differs [Shift+F5]</source>
        <translation>生年月日が不一致 [Shift+F5]</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="305"/>
        <source>Only a copy or a photo, not the original</source>
        <translation>コピーや写真のみ（原本ではない）</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="306"/>
        <source>Document number [F11]:</source>
        <translation>書類の番号 [F11]:</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="315"/>
        <source>Registered: born {date}</source>
        <translation>登録の生年月日：{date}</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="324"/>
        <source>Hold the document&apos;s photo page under the camera: the two lines of &lt;&lt;&lt; at the bottom.</source>
        <translation>身分証の顔写真ページをカメラにかざしてください（下部の &lt;&lt;&lt; の2行）。</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="328"/>
        <source>name and date of birth agree</source>
        <translation>氏名と生年月日が一致</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="329"/>
        <source>nearly the same name: compare them yourself</source>
        <translation>氏名がほぼ同じです。ご自身で見比べてください</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="330"/>
        <source>DIFFERENT from the registration</source>
        <translation>登録内容と異なります</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="332"/>
        <source> · EXPIRED</source>
        <translation> · 有効期限切れ</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="333"/>
        <source>Read from the document: {read} · registered: {registered} · {verdict}{expired}</source>
        <translation>書類から読み取り：{read} · 登録：{registered} · {verdict}{expired}</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="342"/>
        <source>Name: {name}  ·  Date of birth: {birth}</source>
        <translation>氏名：{name}  ·  生年月日：{birth}</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="353"/>
        <source>✓ kept as a code only (the number is not stored)</source>
        <translation>✓ 符号のみ記録（番号そのものは保存しません）</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="355"/>
        <source>12 digits, then Enter</source>
        <translation>12桁の数字を入力して Enter</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="356"/>
        <source>2 letters, 8 digits, 2 letters, then Enter</source>
        <translation>英字2桁・数字8桁・英字2桁を入力して Enter</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="357"/>
        <source>passport number, if the camera cannot read it</source>
        <translation>カメラで読めないときは旅券番号を入力</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="358"/>
        <source>card number, if the camera cannot read it</source>
        <translation>カメラで読めないときはカード番号を入力</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="359"/>
        <location filename="../../station/ui/counter/panels.py" line="360"/>
        <source>do not type: check by eye only</source>
        <translation>入力しないでください（目視のみで確認）</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="338"/>
        <source>— not checked yet</source>
        <translation>— 未確認</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="337"/>
        <source>✓ matches</source>
        <translation>✓ 一致</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="337"/>
        <source>✗ DIFFERS</source>
        <translation>✗ 不一致</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../station/ui/main_window.py" line="169"/>
        <source>Supervisor {who} decided on {runner}: {decision}. {reason}</source>
        <translation>責任者 {who} が {runner} について判断しました：{decision}。{reason}</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="205"/>
        <source>Bib Station {version}</source>
        <translation>Bib Station {version}</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="203"/>
        <source>{event}  ·  counter {station}</source>
        <translation>{event}  ·  受付 {station}</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="208"/>
        <source>Volunteer {code}</source>
        <translation>ボランティア {code}</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="210"/>
        <source>Sign out</source>
        <translation>サインアウト</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="212"/>
        <source>Counter</source>
        <translation>受付</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="213"/>
        <source>Station</source>
        <translation>ステーション</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="214"/>
        <source>Supervisor</source>
        <translation>責任者</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="220"/>
        <source>Hub not set up ({problem}): this station works alone</source>
        <translation>ハブの設定に問題があります（{problem}）：この受付は単独で動作しています</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="223"/>
        <source>No hub: this station works alone</source>
        <translation>ハブなし：この受付は単独で動作しています</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="226"/>
        <source>never</source>
        <translation>なし</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="228"/>
        <source>● Online · last sync {last} · {waiting} waiting to send</source>
        <translation>● オンライン · 最終同期 {last} · 送信待ち {waiting} 件</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="232"/>
        <source>● Revoked by the hub: deciding alone · ask for a new code</source>
        <translation>● ハブで失効済み：この端末だけで判定中 · 新しい設定コードを依頼してください</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="234"/>
        <source>● Hub certificate not trusted: deciding alone · ask for a new code</source>
        <translation>● ハブの証明書を信頼できません：この端末だけで判定中 · 新しい設定コードを依頼してください</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="237"/>
        <source>● Refused by the hub: deciding alone · ask IT staff (the reason is in the log)</source>
        <translation>● ハブに拒否されました：単独で判定中 · IT担当者に連絡してください（理由はログにあります）</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="238"/>
        <source>● Offline: deciding alone · last sync {last} · {waiting} waiting to send</source>
        <translation>● オフライン：単独で判定中 · 最終同期 {last} · 送信待ち {waiting} 件</translation>
    </message>
</context>
<context>
    <name>PrintBanner</name>
    <message>
        <location filename="../../station/ui/counter/printing.py" line="223"/>
        <source>Print again</source>
        <translation>もう一度印刷</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/printing.py" line="224"/>
        <source>Use the backup printer</source>
        <translation>予備のプリンターを使う</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/printing.py" line="234"/>
        <source>Bib {bib} was not printed: {why}</source>
        <translation>ナンバーカード {bib} は印刷されませんでした：{why}</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/printing.py" line="225"/>
        <source>Printed elsewhere</source>
        <translation>別の場所で印刷した</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/printing.py" line="226"/>
        <source>Supervisor [F9]</source>
        <translation>責任者へ [F9]</translation>
    </message>
</context>
<context>
    <name>PrinterStatusBox</name>
    <message>
        <location filename="../../station/ui/printer_status.py" line="65"/>
        <source>Printers (in the order they are tried)</source>
        <translation>プリンター（使う順）</translation>
    </message>
    <message>
        <location filename="../../station/ui/printer_status.py" line="68"/>
        <source>Asking the printers…</source>
        <translation>プリンターの状態を確認中…</translation>
    </message>
    <message>
        <location filename="../../station/ui/printer_status.py" line="80"/>
        <source>(out of the pool until it answers again)</source>
        <translation>（応答するまで使いません）</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <location filename="../../station/ui/counter/screen.py" line="137"/>
        <source>Scanner input: scan, or type a confirmation code and Enter</source>
        <translation>スキャナー入力：読み取るか、参加確認コードを入力して Enter</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/screen.py" line="138"/>
        <source>Search [F2]: name (kanji, kana, Latin), bib or entry number; ↓ then Enter</source>
        <translation>検索 [F2]：氏名（漢字・かな・ローマ字）、ナンバー、受付番号。↓ で選んで Enter</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/screen.py" line="139"/>
        <source>e.g. やまだ たろう / Yamada Taro / 12345</source>
        <translation>例：やまだ たろう / Yamada Taro / 12345</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/screen.py" line="157"/>
        <source> (escort)</source>
        <translation>（伴走者）</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/screen.py" line="168"/>
        <source>Nobody found. Check the spelling, try the kana or Latin name, or the bib or entry number.</source>
        <translation>該当者がいません。つづりを確認するか、カナやローマ字の氏名、ナンバーや受付番号で探してください。</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/screen.py" line="171"/>
        <source>{n} found.</source>
        <translation>{n} 件見つかりました。</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/screen.py" line="172"/>
        <source>{n} or more</source>
        <translation>{n} 件以上</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/screen.py" line="158"/>
        <source>Block {block}</source>
        <translation>ブロック {block}</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/screen.py" line="173"/>
        <source>{total} found, the first {shown} shown. To narrow, add the date of birth (e.g. 19800514), the block (e.g. block D) or more of the name.</source>
        <translation>{total} 件見つかり、最初の {shown} 件を表示しています。絞り込むには生年月日（例：19800514）、ブロック（例：ブロックD）、氏名の続きを入力してください。</translation>
    </message>
</context>
<context>
    <name>SelfCheckDialog</name>
    <message>
        <location filename="../../station/ui/first_run.py" line="330"/>
        <source>Bib Station self-check</source>
        <translation>Bib Station セルフチェック</translation>
    </message>
    <message>
        <location filename="../../station/ui/first_run.py" line="332"/>
        <source>Check</source>
        <translation>確認項目</translation>
    </message>
    <message>
        <location filename="../../station/ui/first_run.py" line="332"/>
        <source>Result</source>
        <translation>結果</translation>
    </message>
    <message>
        <location filename="../../station/ui/first_run.py" line="332"/>
        <source>Found</source>
        <translation>状態</translation>
    </message>
    <message>
        <location filename="../../station/ui/first_run.py" line="332"/>
        <source>What to do</source>
        <translation>対処</translation>
    </message>
    <message>
        <location filename="../../station/ui/first_run.py" line="345"/>
        <source>Continue</source>
        <translation>続ける</translation>
    </message>
</context>
<context>
    <name>SignIn</name>
    <message>
        <location filename="../../station/ui/counter/screen.py" line="84"/>
        <source>Volunteer sign-in: type your volunteer code and press Enter</source>
        <translation>ボランティアのサインイン：ボランティアコードを入力して Enter</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/screen.py" line="85"/>
        <source>e.g. V123</source>
        <translation>例：V123</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/screen.py" line="86"/>
        <source>Start my shift</source>
        <translation>受付を始める</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/screen.py" line="92"/>
        <source>A volunteer code is 2 to 12 letters or digits, as on your name badge.</source>
        <translation>ボランティアコードは名札にある 2〜12 文字の英数字です。</translation>
    </message>
</context>
<context>
    <name>StationInfo</name>
    <message>
        <location filename="../../station/ui/main_window.py" line="325"/>
        <source>Event</source>
        <translation>大会</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="307"/>
        <source>Race day</source>
        <translation>大会日</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="307"/>
        <source>Time zone</source>
        <translation>タイムゾーン</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="307"/>
        <source>Check-in</source>
        <translation>受付時間</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="308"/>
        <source>Eligibility</source>
        <translation>参加資格</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="308"/>
        <source>Roster</source>
        <translation>名簿</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="309"/>
        <source>Event package</source>
        <translation>イベントパッケージ</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="312"/>
        <source>Bibs picked up (whole hall, as known here)</source>
        <translation>受け渡し済み（会場全体・この受付が把握している分）</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="326"/>
        <source>This counter</source>
        <translation>この受付</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="309"/>
        <source>Station</source>
        <translation>ステーション</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="310"/>
        <source>Facts in the log</source>
        <translation>記録の件数</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="313"/>
        <source>Conflicts</source>
        <translation>競合</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="313"/>
        <source>Open exceptions</source>
        <translation>未解決の例外</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="314"/>
        <source>Last fact</source>
        <translation>最後の記録</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="314"/>
        <source>Sync</source>
        <translation>同期</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="314"/>
        <source>Log file</source>
        <translation>記録ファイル</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="315"/>
        <source>Facts set aside</source>
        <translation>保留した記録</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="324"/>
        <source>Set up with a new code…</source>
        <translation>新しい設定コードで設定し直す…</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="359"/>
        <source>no windows set</source>
        <translation>受付時間の設定なし</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="362"/>
        <source>born before {date}</source>
        <translation>{date} より前に生まれた方</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="363"/>
        <source>{age} or older on race day</source>
        <translation>大会当日 {age} 歳以上</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="365"/>
        <source>{runners:,} runners, {escorts:,} escorts, {cancelled:,} cancelled</source>
        <translation>ランナー {runners:,} 人、伴走者 {escorts:,} 人、取消 {cancelled:,} 件</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="371"/>
        <source>{done:,} of {total:,}</source>
        <translation>{total:,} 件中 {done:,} 件</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="376"/>
        <source>nothing recorded yet</source>
        <translation>まだ記録はありません</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="381"/>
        <source>none</source>
        <translation>なし</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="382"/>
        <source>{count:,} (newest: {reason}, from station {station}); tell IT staff: run `station audit quarantine`</source>
        <translation>{count:,} 件（最新：{reason}、ステーション {station} から）。IT担当者に `station audit quarantine` の実行を依頼してください</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="348"/>
        <source>Mon</source>
        <translation>月</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="348"/>
        <source>Tue</source>
        <translation>火</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="348"/>
        <source>Wed</source>
        <translation>水</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="348"/>
        <source>Thu</source>
        <translation>木</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="348"/>
        <source>Fri</source>
        <translation>金</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="348"/>
        <source>Sat</source>
        <translation>土</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="349"/>
        <source>Sun</source>
        <translation>日</translation>
    </message>
</context>
<context>
    <name>SupervisorNote</name>
    <message>
        <location filename="../../station/ui/counter/note.py" line="57"/>
        <source>Go back [Esc]</source>
        <translation>戻る [Esc]</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/note.py" line="56"/>
        <source>Send [Enter]</source>
        <translation>送る [Enter]</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/note.py" line="54"/>
        <source>Send the scanned code to the supervisor. A short note (optional), then Enter:</source>
        <translation>読み取ったコードを責任者に送ります。短いメモ（任意）を入力して Enter：</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/note.py" line="51"/>
        <source>Send to the supervisor</source>
        <translation>責任者へ送る</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/note.py" line="52"/>
        <source>Send {name} to the supervisor. A short note for them (optional), then Enter:</source>
        <translation>{name} さんを責任者に送ります。責任者への短いメモ（任意）を入力して Enter：</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/note.py" line="55"/>
        <source>e.g. name on the ID spelt differently</source>
        <translation>例：身分証の氏名の表記が違う</translation>
    </message>
</context>
<context>
    <name>SupervisorScreen</name>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="146"/>
        <source>Supervisors only: choose your name and type your PIN</source>
        <translation>責任者専用：名前を選び、PINを入力してください</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="147"/>
        <source>Supervisor</source>
        <translation>責任者</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="148"/>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="149"/>
        <source>Sign in</source>
        <translation>サインイン</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="150"/>
        <source>Exceptions from every counter</source>
        <translation>全受付からの例外</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="151"/>
        <source>Waiting</source>
        <translation>待ち時間</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="151"/>
        <source>Runner</source>
        <translation>ランナー</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="151"/>
        <source>Bib</source>
        <translation>ナンバー</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="152"/>
        <source>Counter</source>
        <translation>受付</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="152"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="152"/>
        <source>Taken by</source>
        <translation>担当</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="153"/>
        <source>Note</source>
        <translation>メモ</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="154"/>
        <source>Take this case</source>
        <translation>この案件を担当する</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="155"/>
        <source>Leave supervisor mode</source>
        <translation>責任者モードを終了</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="156"/>
        <source>Decision (recorded with your name)</source>
        <translation>判断（あなたの名前で記録されます）</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="157"/>
        <source>Decision</source>
        <translation>判断</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="158"/>
        <source>Ground for an override</source>
        <translation>例外を認める根拠</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="159"/>
        <source>New nickname</source>
        <translation>新しいニックネーム</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="160"/>
        <source>Pickup that counts</source>
        <translation>有効とする受け取り</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="161"/>
        <source>Written reason</source>
        <translation>理由（記述）</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="162"/>
        <source>Record the decision</source>
        <translation>判断を記録する</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="200"/>
        <source>{count} open · oldest waiting {oldest} · newest {newest}</source>
        <translation>未解決 {count} 件 · 最長待ち {oldest} · 最新 {newest}</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="204"/>
        <source>No open exceptions.</source>
        <translation>未解決の例外はありません。</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="235"/>
        <source>Approve: hand over despite the reason (give the ground)</source>
        <translation>承認：理由があっても渡す（根拠を選択）</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="236"/>
        <source>Refuse: hand nothing over</source>
        <translation>お断り：何も渡さない</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="237"/>
        <source>Fix the nickname and print</source>
        <translation>ニックネームを修正して印刷</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="238"/>
        <source>Reprint a damaged or lost bib (voids the old one)</source>
        <translation>破損・紛失したナンバーカードの再印刷（旧カードは無効）</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="239"/>
        <source>Re-pair the escorts</source>
        <translation>伴走者の組み合わせをやり直す</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="240"/>
        <source>Void the bib</source>
        <translation>ナンバーカードを無効にする</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="241"/>
        <source>Resolve a double pickup (choose the one that counts)</source>
        <translation>二重受け取りを解決（有効な方を選ぶ）</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="246"/>
        <source>Name changed by marriage</source>
        <translation>婚姻などによる姓の変更</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="247"/>
        <source>Romanisation or kanji variant</source>
        <translation>ローマ字表記・漢字の異体字の違い</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="248"/>
        <source>Typo in the registration; the ID is right</source>
        <translation>申込内容の誤記（身分証が正しい）</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="249"/>
        <source>ID without MRZ checked by hand</source>
        <translation>MRZのない身分証を目視で確認</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="250"/>
        <source>Copy of the ID accepted (e.g. police report of a loss)</source>
        <translation>身分証のコピーを認める（紛失届など）</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="251"/>
        <source>Late arrival accepted by the organizer</source>
        <translation>主催者が遅着を認めた</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="252"/>
        <source>Found by name with an original ID</source>
        <translation>氏名で検索し、身分証原本を確認</translation>
    </message>
    <message>
        <location filename="../../station/ui/supervisor/screen.py" line="253"/>
        <source>Disability confirmed otherwise</source>
        <translation>障がいを別の方法で確認</translation>
    </message>
</context>
<context>
    <name>VerdictBand</name>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="102"/>
        <source>Next runner</source>
        <translation>次の方</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="104"/>
        <source>CHECK THE ID</source>
        <translation>本人確認をしてください</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="105"/>
        <source>ESCORT NEEDED</source>
        <translation>伴走者が必要です</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="106"/>
        <source>REFUSED: do not hand over</source>
        <translation>お渡しできません</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="107"/>
        <source>CALL THE SUPERVISOR</source>
        <translation>責任者を呼んでください</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="138"/>
        <source>Handed over: bib {bibs}</source>
        <translation>お渡し済み：ナンバー {bibs}</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="139"/>
        <source>Scan the next runner&apos;s confirmation.</source>
        <translation>次の方の参加確認書を読み取ってください。</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="143"/>
        <source>Scan the runner&apos;s confirmation QR code.</source>
        <translation>参加確認書のQRコードを読み取ってください。</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="144"/>
        <source>Lost confirmation? Search by name, bib or entry number [F2].</source>
        <translation>参加確認書をお持ちでない方は、氏名・ナンバー・受付番号で検索 [F2]。</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="137"/>
        <source>DONE: pickup recorded</source>
        <translation>完了：受け取りを記録しました</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="103"/>
        <source>HAND OVER, then record [Ctrl+Enter]</source>
        <translation>お渡しして、記録 [Ctrl+Enter]</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="132"/>
        <source>Tick each item as it crosses the counter (Alt+1…), then Ctrl+Enter records the pickup: not recorded until then.</source>
        <translation>品物を渡すたびにチェックし（Alt+1…）、Ctrl+Enter で受け取りを記録します。それまでは記録されていません。</translation>
    </message>
    <message>
        <location filename="../../station/ui/counter/panels.py" line="126"/>
        <source>BIB NOT PRINTED: the runner waits</source>
        <translation>ナンバーカード未印刷：ランナーにお待ちいただく</translation>
    </message>
</context>
<context>
    <name>dialog</name>
    <message>
        <location filename="../../station/ui/first_run.py" line="316"/>
        <source>Bib Station</source>
        <translation>Bib Station</translation>
    </message>
    <message>
        <location filename="../../station/ui/first_run.py" line="317"/>
        <source>This laptop is now station {name} ({hub}). Close Bib Station and start it again to work with the new setup.</source>
        <translation>このノートPCは受付局 {name}（{hub}）になりました。新しい設定で使うには Bib Station を閉じて起動し直してください。</translation>
    </message>
    <message>
        <location filename="../../station/ui/first_run.py" line="318"/>
        <source>no hub</source>
        <translation>ハブなし</translation>
    </message>
</context>
</TS>
